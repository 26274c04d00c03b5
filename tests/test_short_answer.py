"""The short answer (the value a typed question asks for, quoted from the answering sentence) and
the confidence beside `answerable`."""

from __future__ import annotations

from pathlib import Path

import httpx
import numpy as np
import pytest

from citeqa.index.answer import short_answer
from citeqa.index.answer.confidence import confidence
from citeqa.index.answer.narrowing import release_heading
from citeqa.index.answer.question_types import asked_type as asked_type_of
from citeqa.index.answer.question_types import holds_type, person_spans
from citeqa.index.answer.rows import table_header
from citeqa.index.answer.short_answer import answer_values, value_shown
from citeqa.index.answer.short_answer import short_answer as answer_span
from citeqa.index.encoder import Encoder
from citeqa.index.storage import ingest
from citeqa.service.engine import Engine
from citeqa.service.settings import Settings

# (question, sentence, the short answer expected; None: no short answer)
CASES = [
    ("When did the bridge open?", "The bridge opened to traffic on 27 May 1937.", "27 May 1937"),
    ("When was the treaty signed?", "It was signed in March 1957 in Rome.", "March 1957"),
    ("Which year did the museum close?", "The museum closed in 1998 after the flood.", "1998"),
    ("When did the strike end?", "The strike ended on June 3rd, 2025.", "June 3rd, 2025"),
    ("When did it reopen in 2001?", "Closed in 2001, it reopened in 2004.", "2004"),  # not 2001
    ("Where is the company based?", "The company is based in Rotterdam.", "Rotterdam"),
    ("Which country hosted the games?", "The games were hosted by Norway that winter.", "Norway"),
    # the town of an address, not its street, for "which city"
    (
        "In which city is the Foundation's postal address?",
        "Write to the Foundation, 51 Franklin Street, Fifth Floor, Boston, MA 02110, USA.",
        "Boston",
    ),
    ("Which territory has the code CW?", "alpha_2: CW; alpha_3: CUW; name: Curaçao", "Curaçao"),
    # titles one after the other, and a name's particle
    (
        "Who is the Chief Investigator?",
        "Chief Investigator: Prof. Dr. Annelies de Groot, Leiden University Medical Center",
        "Prof. Dr. Annelies de Groot",
    ),
    # an amount in a currency's code, in capitals; "try 5" is no amount
    (
        "What is the maximum funding?",
        "Funding of up to NOK 6,000,000 per fellowship.",
        "NOK 6,000,000",
    ),
    ("How much does the trip cost?", "You should try 5 times before you book.", None),
    # a table's row with its amount
    ("Deep Tissue Massage price", "Deep Tissue Massage | 80 min | EUR 120", "EUR 120"),
    # the unit the question names, not its verb's auxiliary after it
    (
        "How many grants will be awarded?",
        "About 12 grants will be awarded in this call.",
        "About 12 grants",
    ),
    # a town named before its country is a place with it
    (
        "Where is the central laboratory located?",
        "Central laboratory: Synlab Central Lab, Antwerp, Belgium",
        "Antwerp, Belgium",
    ),
    # a site by its name and kind, a key the question writes whole
    (
        "Where is the assembly point if there is a fire?",
        "The assembly point in case of fire is Piazza Unità d'Italia, in front of the Prefecture.",
        "Piazza Unità d'Italia",
    ),
    # "how long" is not told in pounds
    ("How long does each session last?", "Toddler Textiles | Fridays | £2 per child", None),
    # both sides of a size
    (
        "How big can the shed be?",
        "Holders may have a shed of up to 4 ft by 6 ft.",
        "up to 4 ft by 6 ft",
    ),
    ("How big will the grant be?", "The grant grows to US$10 million by 2030.", "US$10 million"),
    # a rent, a premium or a deposit is an amount of money
    ("What is the annual rent for a full plot?", "A full plot costs £96.00 a year.", "£96.00"),
    # the year inside an identifier dates nothing; a range of years is still a period
    ("When was it fixed?", "- CVE-2025-31904: a crafted archive could write files.", None),
    ("When was the survey run?", "The survey ran in 2019-2023 for RHSA-2024:1234.", "2019-2023"),
    # a number to call, not the e-mail address beside it
    (
        "What is the phone number for support?",
        "Support: support@example.org, or call +44 20 7946 0018 on weekdays.",
        "+44 20 7946 0018",
    ),
    # a label's qualifier in brackets, a short phrase after it, a one-digit area code
    ("What is the phone number for the UK?", "- Phone (UK): 0800 048 7733", "0800 048 7733"),
    (
        "What is the billing hotline number?",
        "The billing hotline is 0845 600 1234.",
        "0845 600 1234",
    ),
    ("What is the Austrian phone number?", "- Phone (Austria): +43 1 234 5678", "+43 1 234 5678"),
    ("What is the phone number?", "In 2024 2025 we had 1 2 3 4 5 6 7 people.", None),
    (
        "What is the e-mail address for support?",
        "Support: support@example.org, or call +44 20 7946 0018 on weekdays.",
        "support@example.org",
    ),
    (
        "Who founded the library?",
        "It was founded by President Thomas Jefferson.",
        "President Thomas Jefferson",
    ),
    ("Who leads the mission?", "H.E. Lee Jang-keun leads the mission.", "H.E. Lee Jang-keun"),
    ("How much did the dam cost?", "The dam cost US$ 4.2 billion to build.", "US$ 4.2 billion"),
    ("What was the budget?", "Its budget was 12 million euros a year.", "12 million euros"),
    ("How many turbines does the farm have?", "The farm has 48 turbines at sea.", "48 turbines"),
    # the digits of a name are not a number
    ("How many terms may a query have?", "Lower it with sqlite3_limit() or the F6 key.", None),
    ("How many cores does it use?", "On x86 machines it uses 4 cores.", "4 cores"),
    ("How many lanes does it carry?", "It carries six lanes now.", "six lanes"),
    ("When does the night bus leave?", "The night bus leaves at 23:15 from the pier.", "23:15"),
    # a year before 1800 after a word that makes it one; alone, a number
    ("In which year did Mount Fuji last erupt?", "Mount Fuji last erupted in 1707.", "1707"),
    ("When was the limit set?", "The limit is 1024 bytes.", None),
    ("When does the museum open?", "It opens at 9 a.m. on weekdays.", "9 a.m."),
    ("When was the tool released?", "Version 2.10 fixed 13.5 per cent of the bugs.", None),
    ("How many visitors came to the fair?", "The two halls of the fair were full.", None),
    ("How many keys switch consoles?", "Press one of the F1-F6 keys to switch.", None),
    ("How many consoles are there?", "There are six switchable VT100-like text consoles.", "six"),
    (
        "How many visitors came to the fair?",
        "It drew 40,000 visitors in its first week.",
        "40,000 visitors",
    ),
    (
        "How many ships come each week?",
        "A dozen or more ships call each week.",
        "A dozen or more ships",
    ),
    # the part, not the whole it is a part of
    (
        "How many of the bridges named in the survey did the flood destroy?",
        "The flood destroyed 12 of the 40 bridges named in the survey.",
        "12",
    ),
    (
        "How many of the languages named in the standard does it cover?",
        "It covers 122 of the 139 languages named in the standard, 141 of the others.",
        "122",
    ),
    # a range is one value; the digits of "UTF-8" are a name's
    (
        "Which range of file numbers holds the aliases?",
        "50 through 59 loading\n60 through 69 aliases",
        "60 through 69",
    ),
    (
        "How much of a file's start should be checked?",
        "Check the first 128 bytes of the file, as UTF-8 text may hold any.",
        "128 bytes",
    ),
    # a body answers "which organisation", the kind asked for first
    (
        "Which organisation maintains the codes?",
        "The maintenance agency is SIL International.",
        "SIL International",
    ),
    (
        "Which university employs the author?",
        "She teaches at the Graduate School of International Studies, Yonsei University.",
        "Yonsei University",
    ),
    (
        "Which police organisation does Seoul work with?",
        "Seoul works with ASEANAPOL and the ROK.",
        "ASEANAPOL",
    ),
    # where things are in manuals: a path, a file's name, an address
    (
        "In which file does aptitude log its actions?",
        "aptitude logs its actions to /var/log/aptitude.",
        "/var/log/aptitude",
    ),
    (
        "Which header file do I include?",
        "The header file of this library is libtasn1.h.",
        "libtasn1.h",
    ),
    (
        "What address do I mail for help?",
        "Send an e-mail to request@bugs.debian.org for help.",
        "request@bugs.debian.org",
    ),
    # a period is the dates it runs between or how long it lasts
    ("Over what period will the loan be repaid?", "The loan is repaid over 10 years.", "10 years"),
    # a body asked for is not answered by a person beside it
    (
        "Which company did the minister visit?",
        "The minister visited Samsung Electronics and met its chairman Lee Jae-yong.",
        None,
    ),
    # a version told as one, whole or dotted
    (
        "What is the current cache file version number?",
        "Its name ends in the cache file version number (currently 7).",
        "7",
    ),
    (
        "Over what period does the academy run?",
        "The Digital Academy (2024-2029) trains specialists.",
        "2024-2029",
    ),
    # the question's own name, however hyphenated, does not answer it
    (
        "Who met President Lee Jae-myung?",
        "Dr Kim Min, an adviser, later met President Lee Jae Myung.",
        "Dr Kim Min",
    ),
    (
        "Whose book did he translate?",
        'He translated "The Pivot" by Kurt Campbell.',
        "Kurt Campbell",
    ),
    ("What share of the budget goes to schools?", "Schools receive 12 million euros.", None),
    ("What share of the market does the firm hold?", "Its sales saw a 4% drop last year.", None),
    (
        "What share of the market does the firm hold?",
        "Its share rose 2% last year, to 12% of the market.",
        "12%",
    ),
    (
        "Where does the port rank among Europe's ports?",
        "It is the third largest port in Europe.",
        "third largest",
    ),
    # a day told by numbers: ISO's dashes, or dots and slashes
    ("On what day was the update published?", "It was published on 2021-03-15.", "2021-03-15"),
    ("What date is printed on the brief?", "Issue Brief\n2024.11.21.", "2024.11.21"),
    ("On what day was the update published?", "It was published in 2021-03.", None),
    ("On what day was the 2023.10 release out?", "Release 2023.10.1 fixes two bugs.", None),
    # the month a question's own sentence places the day in; a year asked is a year
    (
        "The pact took effect in June 2007. On what day did it take effect?",
        "Signed on 24 August 2006, it took effect on 1 June 2007.",
        "1 June 2007",
    ),
    (
        "The pact took effect in June 2007. On what day did it take effect?",
        "Signed on 24 August 2006, it took effect in June 2007.",
        None,
    ),
    ("pact launch year", "The pact was launched on 15 February.", None),
    (
        "In which year was the pact launched?",
        "It was launched on 15 February 2011.",
        "15 February 2011",
    ),
    # the place in an order with the noun the question asks it of
    (
        "Which anniversary does the museum celebrate this year?",
        "This year the museum celebrates its 50th anniversary with a new wing.",
        "50th anniversary",
    ),
    (
        "What edition of the festival was held in Lyon?",
        "Lyon hosted the festival's 12th edition in 2019.",
        "12th edition",
    ),
    (
        "By what percentage did sales rise?",
        "In 2024 sales rose by 7.5 per cent to 3 million units.",
        "7.5 per cent",
    ),
    ("How long did the siege last?", "The five-months siege ended in the spring.", "five-months"),
    (
        "How many member states are there?",
        "19. The bloc has ten member states.",
        "ten member states",
    ),
    (
        "How many rooms are in the two-storey house?",
        "The two-storey house has 14 rooms.",
        "14 rooms",
    ),
    # Of two values, the one in the clause of the question's own words.
    (
        "When did the treaty enter into force?",
        "The treaty was signed on 4 April 1991 and came into force on 2 June 1993.",
        "2 June 1993",
    ),
    # A conjunction parts two phrases: each keeps its own value.
    (
        "Where did she earn her doctorate?",
        "She studied law at Leiden University and earned her doctorate in history at Uppsala"
        " University.",
        "Uppsala University",
    ),
    (
        "Where did she study law?",
        "She studied law at Leiden University and earned her doctorate in history at Uppsala"
        " University.",
        "Leiden University",
    ),
    (
        "In which year was the railway electrified?",
        "Built in 1871, the railway was electrified in 1936 by the state.",
        "1936",
    ),
    # A change "from A to B": what it came to, unless the question asks what it was before.
    (
        "How large will the yearly grant become by 2030?",
        "The yearly grant doubles from US$5 million to US$10 million by 2030.",
        "US$10 million",
    ),
    (
        "What share of the market did the firm hold before the merger?",
        "Its share rose to 12 per cent after the merger, from just 7 per cent before it.",
        "7 per cent",
    ),
    # A country is one word under any of its names: the adjective, the possessive, "ROK".
    (
        "Which French minister signed the accord?",
        "The accord was signed by Germany's Minister Anna Weber and by France's Minister Paul"
        " Girard.",
        "Minister Paul Girard",
    ),
    # ... and a two-word name ("South Korea") counts once, not as two words near the value.
    (
        "When did South Korea hold the presidential election that followed the scandal?",
        "After the scandal that shook South Korea since December last year, calm returned when"
        " Kim won the presidential election in June this year.",
        "June",
    ),
    ("Where was the summit held?", "The summit was held in Cusco, Peru, in May.", "Cusco, Peru"),
    ("When did the mayor resign?", "The mayor resigned in October amid protests.", "October"),
    ("Over which years does the plan run?", "The plan (2024-2029) funds new clinics.", "2024-2029"),
    ("What was the city's unemployment rate?", "It stood at 4.2% last spring.", "4.2%"),
    # In manuals "where" asks for a path, a web or an e-mail address.
    (
        "Where is the per-user configuration file?",
        "The per-user file is ~/.config/app/app.conf, read after /etc/app.conf.",
        "~/.config/app/app.conf",
    ),
    (
        "Where do I report bugs?",
        "Report bugs at https://bugs.example.org/app.",
        "https://bugs.example.org/app",
    ),
    (
        "Where can I ask for help?",
        "Write to help-app@lists.example.org any time.",
        "help-app@lists.example.org",
    ),
    # a web page is at a web address, not the e-mail address before it
    (
        "Where is the project's home page?",
        "Report bugs to: help-app@example.org Home page: https://www.example.org/app/",
        "https://www.example.org/app/",
    ),
    # a user's own files live under the home directory, the system's from the root
    (
        "Where is the per-user configuration file?",
        "It reads /etc/app/app.conf and then ~/.config/app/app.conf.",
        "~/.config/app/app.conf",
    ),
    (
        "Where is the system-wide configuration file?",
        "It reads ~/.config/app/app.conf and then /etc/app/app.conf.",
        "/etc/app/app.conf",
    ),
    ("Where is the log kept?", "It runs 24/7 over TCP/IP and keeps no log.", None),
    ("Why did the bridge close?", "It closed in 1998 because of the flood.", None),  # untyped
    ("When did the bridge open?", "The bridge is made of steel.", None),  # no date in it
    # where something goes, not what is put there
    (
        "Where do I add the log line?",
        "Add log /var/log/app.log to your /etc/app/app.cfg.",
        "/etc/app/app.cfg",
    ),
    # a list of paths is several places, not one
    ("Where is the cache?", "It reads /var/cache/app, ~/.cache/app.", "/var/cache/app"),
    ("Which version added the option?", "Version 3.7.0 added it; 3.6.18 did not.", "3.7.0"),
    # a whole number is a version only when told as one
    ("Which version added the flag?", "The flag came with version 5.", "5"),
    ("Which version added the flag?", "It ships with Debian 12 and later.", "12"),
    ("Which version added the flag?", "It took 3 years to add the flag.", None),
    ("Which version added the flag?", "The flag.\n\n3 Utilities", None),
    (
        "What version string should a test build of 1.0-1 use?",
        "See Section 2.6 and use a version string such as 1.0-1~rc1.",
        "1.0-1~rc1",
    ),
    # who is the name, not the address after it
    (
        "Who maintains the orphaned package?",
        "Set the maintainer to Debian QA Group <packages@qa.example.org>.",
        "Debian QA Group",
    ),
    # "who" without a person's role is answered by an organisation too, a role by a person only
    (
        "Who maintains the ISO 15924 standard?",
        "The official ISO 15924 maintenance agency is the Unicode Consortium.",
        "Unicode Consortium",
    ),
    (
        "Who publishes the list?",
        "It is kept by the Ministry of Foreign Affairs and Trade and the ASEAN Secretariat.",
        "Ministry of Foreign Affairs and Trade",
    ),
    ("Who was the director of the centre?", "The Korea Foundation runs the centre.", None),
    # an address answers whom to write to, not who wrote something
    (
        "Who do I write to about the mailing lists?",
        "Problems go to listmaster@lists.example.org, not to the lists.",
        "listmaster@lists.example.org",
    ),
    ("Who wrote the chapter?", "Send questions to user-request@lists.example.org.", None),
    # "which country" is answered by a country (with its city or not), never the question's own
    (
        "Which member state proposed the upgrade?",
        "The upgrade was proposed at the summit in Kuala Lumpur.",
        None,
    ),
    (
        "Which ASEAN country hosted the ROK's festival?",
        "Korea held the festival in Vientiane, Lao PDR in 2019.",
        "Vientiane, Lao PDR",
    ),
    # "how often" is answered by a frequency, not by any number
    ("How often is the archive updated?", "It is updated four times a day.", "four times a day"),
    ("How often does the job run?", "It runs every 6 hours, at 00:00 and 06:00.", "every 6 hours"),
    ("How frequently do they meet?", "They meet twice a year in Jakarta.", "twice a year"),
    ("How often are the codes revised?", "The list is revised annually.", "annually"),
    ("How often does the tool run?", "cron (3.0pl1-74) unstable; urgency=low", None),
    # a name after the role it holds
    (
        "Who is quoted as the Bash maintainer?",
        "As the Bash maintainer Chet Ramey notes in the reference guide, it is fast.",
        "Chet Ramey",
    ),
    # "respectively" pairs the values with the things in order
    (
        "When was the first Health Ministers Meeting held?",
        "The Senior Officials Meeting and the Health Ministers Meeting were first held in "
        "October 2021 and May 2022 respectively.",
        "May 2022",
    ),
    # a bare "from" in the question does not ask what a value was before a change
    (
        "What share of the investment came from Korea?",
        "Korea's share rose to 5.1 per cent from 3.1 per cent.",
        "5.1 per cent",
    ),
    # a number is whole, its unit joined by a hyphen
    ("What is the page size in bytes?", "It writes 4096-byte pages by default.", "4096-byte"),
    # "one" as anybody counts nothing
    ("How many mirrors are there?", "By using a mirror, one can avoid delays.", None),
    # a unit asked for: a value of another kind does not measure it, a bare number may
    ("What is the interval, in seconds, between scans?", "It scans in two passes.", None),
    (
        "What is the interval, in seconds, between scans?",
        "It rescans every 30 seconds.",
        "30 seconds",
    ),
    ("What is the timeout in minutes?", "The timeout defaults to 5.", "5"),
    ("How large is a page in bytes?", "Pages are kept for 30 days.", None),
    # "how much faster" asks for a ratio or a difference, not any number; "power" is no
    # comparative, nor "in years" a unit asked for where people are counted
    ("How much power does the board draw?", "At idle it draws about 3 watts.", "about 3 watts"),
    (
        "How many people came to the biggest rally in years?",
        "About 9,000 people came.",
        "About 9,000 people came",
    ),
    ("What is the buffer size in bytes?", "Each connection gets a 64K buffer.", "64K buffer"),
    ("How many bytes is a page?", "It uses a 4096-byte page.", "4096-byte page"),
    ("How much faster is the new parser?", "One reviewer noted it is faster.", None),
    ("How much faster is the new parser?", "It parses 30 times faster than before.", "30 times"),
    ("How much faster is the new parser?", "It is twice as fast.", "twice"),
    ("How much faster is the new parser?", "It takes 2 seconds less per file.", "2 seconds"),
    # things are counted in whole numbers, never by a version, a line or a note's number
    ("How many source packages are there?", 'With source format "1.0", it was native.', None),
    ("How many bugs were fixed?", "In this release 12 bugs were fixed.", "12 bugs"),
    ("How many hours does the battery last?", "The battery lasts 7.5 hours.", "7.5 hours"),
    ("How many packages are built?", "Line 2 names the package; see [28].", None),
    (
        "How many packages are built?",
        "About 2.5 million packages are built.",
        "About 2.5 million packages",
    ),
    ("How large is the file in bytes?", '<?xml version="1.0"?> starts the file.', None),
    ("Which version of XML is used?", '<?xml version="1.0"?> starts the file.', "1.0"),
    # a licence asked for: its name
    (
        "Under which licence is the library distributed?",
        "You may modify it under the GNU Lesser General Public License version 2.1 or later.",
        "GNU Lesser General Public License version 2.1 or later",
    ),
    (
        "What license does the tool use?",
        "The tool is released under the MIT License.",
        "MIT License",
    ),
    ("Which license covers the fonts?", "It is GPL-2+ with the font exception.", "GPL-2+"),
    ("What license covers the manual?", "This License preserves the author's credit.", None),
    ("Which licence applies to the data?", "The data is in the public domain.", "public domain"),
    # a variable or an option in the code's own spelling, the one its description fits
    (
        "Which environment variable turns on debugging output?",
        "FC_DEBUG is used to output the detailed debugging messages.",
        "FC_DEBUG",
    ),
    (
        "Which variable do I set to 1 to skip the subshells?",
        "Set __shellmath_isOptimized to 1 at the top of your script.",
        "__shellmath_isOptimized",
    ),
    (
        "Which option turns on strict DER decoding?",
        "-b, --benchmark run a benchmark -t, --no-time-strict use strict DER but not in time "
        "fields -s, --strict use strict DER decoding -h, --help display this help",
        "-s, --strict",
    ),
    ("Which variable enables debugging?", "Debugging is described in Section 4.", None),
    ("Which option turns on strict decoding?", "Use the non-free section for it.", None),
    (
        "Which option gives verbose output?",
        "For quiet output use -q, and for verbose output use -v.",
        "-v",
    ),
    ("Which environment variable sets the time zone?", "Set TZ=Asia/Seoul to change it.", "TZ"),
    ("Which variable sets the retries?", "Set maxRetries in the config.", "maxRetries"),
    (
        "Under which license is the library released?",
        "It is released under LGPL-2.1-or-later.",
        "LGPL-2.1-or-later",
    ),
    (
        "Which license is the module under?",
        "It is under the same terms as Perl itself.",
        "same terms as Perl itself",
    ),
    (
        "Under which license is the tool released?",
        "It uses the Apache License 2.0.",
        "Apache License 2.0",
    ),
    (
        "When was version 2.0 released, in which month?",
        "It was released on 2021-03-15.",
        "2021-03-15",
    ),
    ("Which one matters?", "Only one can run at a time.", None),
    ("How many can run at a time?", "Only one can run at a time.", "one can run"),
    # an address asked for anywhere in the question; a person asked for after a dash
    (
        "Is there a queue in Europe, and what is its address?",
        "There is a queue in Europe at ftp://ftp.eu.upload.debian.org/pub/UploadQueue/.",
        "ftp://ftp.eu.upload.debian.org/pub/UploadQueue/",
    ),
    (
        "The README quotes the Bash maintainer - who is that?",
        "As the Bash maintainer Chet Ramey notes, it is fast.",
        "Chet Ramey",
    ),
    # a city or a country is a name, never a web address
    ("In which city is the SIL office?", "See http://www.sil.org/iso639-3/ for more.", None),
    # a release's number after its name counts nothing; nor does a version number
    (
        "How many architectures does Debian 12 support?",
        "Then Debian 13 will be called trixie.",
        None,
    ),
    (
        "How many visitors came from Japan?",
        "Arrivals: China 5,500,000, Japan 3,200,000.",
        "3,200,000",
    ),
    ("How many attempts does sshd allow?", "Set MaxAuthTries 3 in sshd_config.", "3"),
    (
        "How many architectures does it support?",
        "It now supports 9 architectures.",
        "9 architectures",
    ),
    ("What is the default interval in seconds?", "The version number (currently 7) is kept.", None),
    # a month asked for: a date with its month, not a year
    (
        "In which month of 2008 was the fund set up?",
        "It was set up in 2008, its group in 2006.",
        None,
    ),
    ("In which month was the fund set up?", "The fund was set up in March 2008.", "March 2008"),
    # a directory asked for: a path before a file's bare name
    (
        "Where is the default font configuration directory?",
        "fonts.conf lives in /etc/fonts beside the conf.d files.",
        "/etc/fonts",
    ),
    # a question insisting on the very thing is answered by its name, not by "one of them"
    (
        "Exactly which servers outside the country should I use?",
        "You can use one of the other servers located outside the country.",
        None,
    ),
    (
        "Which specific model did the author use?",
        "The author used an Intel Core i3-8130U CPU.",
        "Intel Core i3-8130U CPU",
    ),
    ("Exactly at which hours is the update launched?", "It is launched twice each day.", None),
    # a range asked for: a range of numbers, never the digits of a glob
    (
        "Which file number range holds the family rules?",
        "Fontconfig loads all files of the form [0-9][0-9]*.conf.",
        None,
    ),
    ("Which port range does the service use?", "It listens on ports 6000 to 6063.", "6000 to 6063"),
    # an e-mail address asked for: not the web page beside it
    (
        "What is the e-mail address of the maintainers?",
        "See https://salsa.debian.org/iso-codes for the maintainers.",
        None,
    ),
    (
        "What is the e-mail address of the list manager?",
        "The list manager's page is https://lists.debian.org/, the address"
        " <listmaster@lists.debian.org>.",
        "listmaster@lists.debian.org",
    ),
    # a listing's line number, a range's bounds for "exactly" and a setting's value count
    # nothing
    ("How many issues can it fix?", "1 $ lintian -i -I gentoo.changes", None),
    (
        "Exactly how many uploads are there a day?",
        "It goes to DELAYED/X-day (X between 0 and 15).",
        None,
    ),
    ("How many digits of precision are there?", "Set __shellmath_isOptimized=1 at the top.", None),
    ("What value should FC_DEBUG have?", "Use FC_DEBUG=1024 to see the files.", "1024"),
    # a body of the country asked for, not of another; a country named elsewhere asks nothing
    (
        "Which Vietnamese agency organised the event?",
        "It was organised by the National Research and Innovation Agency of Indonesia.",
        None,
    ),
    (
        "Who funded the school in Laos?",
        "It was funded by the Korea International Cooperation Agency.",
        "Korea International Cooperation Agency",
    ),
    # "..., and when?" asks for a date too
    ("Which plan was adopted, and when?", "The plan was adopted in 2015.", "2015"),
    # a quantity told vaguely answers only when nothing asks for the number
    (
        "How often is the queue scanned?",
        "The queue is scanned every few minutes.",
        "every few minutes",
    ),
    (
        "How often, in minutes, is the queue scanned?",
        "The queue is scanned every few minutes.",
        None,
    ),
    ("How long, in bytes, may a name be?", "Most names are a few dozen bytes long.", None),
    ("Exactly how many mirrors are there?", "There are a few hundred mirrors.", None),
    (
        "How long may a pattern be?",
        "Patterns are a few dozen bytes long, and the limit is 50000 bytes.",
        "50000 bytes",
    ),
    # ... but a precise value in another unit does not tell it better
    (
        "How often are the logs rotated?",
        "Logs are rotated every few hours and archived monthly.",
        "every few hours",
    ),
    # a preposition after a title's word is in the title only when a title's word ends it
    (
        "Which city hosted the 26th Summit?",
        "The leaders met during the 26th Summit at the 47th ASEAN Summit in Kuala Lumpur.",
        "Kuala Lumpur",
    ),
    ("Where was it signed?", "The Trade in Goods Agreement was signed in 2006.", None),
    # a count is whole, and "a minimum of" is no exact number
    ("How many digits of precision does it keep?", "_shellmath_add 1.009 4.223e-2", None),
    ("How many users does it have?", "It has 1.5 million users.", "1.5 million users"),
    ("What is the exact number of people on the channel?", "It has a minimum of 150 people.", None),
    # "how many times a day" asks how often: a frequency, not "in 7 days"
    (
        "How many times per day is the queue uploaded?",
        "The queue is uploaded four times a day.",
        "four times a day",
    ),
    (
        "How many times per day is the queue uploaded?",
        "Uploads wait in the queue for 7 days.",
        None,
    ),
    ("Exactly how many times a day does it run?", "It runs multiple times per day.", None),
    # "in years" here is no unit asked; "several three-day workshops" tells three days
    (
        "How many people came to the biggest protest in years?",
        "A few hundred people attended.",
        "hundred people",
    ),
    ("How long, in days, were the workshops?", "It ran several three-day workshops.", "three-day"),
    # a bound told before a value answers the bound asked for; "2048 bits" is no year
    (
        "What is the minimum key length?",
        "Keys must be greater than 2048 bits (4096 bits is preferred).",
        "greater than 2048 bits",
    ),
    (
        "What is the maximum length of the summary?",
        "It holds at least 10 characters and shouldn't be longer than about 60 characters.",
        "about 60 characters",
    ),
    (
        "What is the minimum length of the summary?",
        "It holds at least 10 characters and shouldn't be longer than about 60 characters.",
        "at least 10 characters",
    ),
    (
        "What is the highest I can raise the limit to?",
        "The limit is 10 by default and cannot be increased above 125.",
        "125",
    ),
    ("How wide is the banner?", "The banner is 1920 pixels wide.", "1920 pixels"),
    ("How long may a name be?", "Names are limited to 2000 characters.", "2000 characters"),
    # the dimension asked, of several told
    ("How tall is the enclosure?", "The enclosure is 52 cm wide and 168 cm high.", "168 cm"),
    ("How wide is the enclosure?", "The enclosure is 52 cm wide and 168 cm high.", "52 cm"),
    ("How heavy is the unit?", "The unit is 52 cm wide and weighs 30 kg.", "30 kg"),
    ("How tall is the K2?", "The K2 is 52 cm wide, 168 cm tall and 41 cm deep.", "168 cm"),
    # "how many times" is told in times
    (
        "How many times does the script call the subroutines?",
        "Run it with a small whole-number argument, say 15:",
        None,
    ),
    ("How many times was she elected?", "She was elected twice, in 2001 and 2005.", "twice"),
    ("How many times was it restarted?", "It runs on 3 disks across 4 time zones.", None),
    ("How tall is the stand?", "The stand holds up to 12 kg.", None),
    ("How wide is the kiosk?", "Each kiosk has a 2000 characters limit on its greeting.", None),
    (
        "What is the maximum line width?",
        "The maximum line width is 100 characters.",
        "100 characters",
    ),
    ("How heavy is the kettle?", "The kettle is 30 cm tall and weighs 900 g.", "900 g"),
    ("How heavy is the kettle?", "The kettle is 30 cm tall and weighs 900 grams.", "900 grams"),
    # the very model asked for: something new with a digit, of the thing named
    (
        "Which exact Intel i3 model ran the timings?",
        "The timings ran on an Intel Core i3 laptop running Windows 10.",
        None,
    ),
    (
        "Which exact Intel i3 model ran the timings?",
        "The timings ran on an Intel Core i3-8130U laptop running Windows 10.",
        "Intel Core i3-8130U",
    ),
    ("How heavy is a sled?", "It holds up to 12 sleds; each sled weighs 0.6 kg.", "0.6 kg"),
    # ... but a year may precede a plural noun ("letters", "lines")
    ("When were the letters sent?", "In 2023 letters were sent to every home.", "2023"),
    ("When was the banner made?", "The banner is 1920 pixels wide.", None),
    # an exact day is a day, in the month the question places it in
    (
        "On which exact day in September 2012 was the mission opened?",
        "The mission opened in September 2012 and its office on 5 October 2012.",
        None,
    ),
    (
        "exact day in october 2024 the partnership was agreed",
        "The partnership was agreed in October 2024 in Vientiane.",
        None,
    ),
    (
        "What was the exact date of the summit?",
        "The summit met on 10 October 2024.",
        "10 October 2024",
    ),
    # a day of the week when something comes round, not a date it runs until
    (
        "When does the committee meet?",
        "- The committee meets monthly, on the first Tuesday of the month at 7:30 pm.",
        "first Tuesday of the month",
    ),
    (
        "Can you tell me when the monthly safety meeting is held?",
        "Incidents are reviewed at the safety meeting, held on the second Thursday of each month.",
        "second Thursday of each month",
    ),
    (
        "On which day of the week do the summer flights to Bergen run?",
        "Summer flights to Bergen run on Saturdays from 1 June to 31 August.",
        "Saturdays",
    ),
    ("When was the release?", "It came out on Monday, 3 March 2025.", "3 March 2025"),
    ("When was the club founded?", "We are open Monday to Friday.", None),
    # a number written as dialled at home, or after "calling"
    (
        "What number should I call for assistance?",
        "Special assistance: 01463 555 214.",
        "01463 555 214",
    ),
    (
        "What number should I call for help at the airport?",
        "Tell us 48 hours before by calling 01463 555 214 or e-mailing help@example.org.",
        "01463 555 214",
    ),
    ("What is the phone number?", "Order 0123 456 arrived in 2024.", None),
    ("who do I ring if the flat floods at night?", "Out of hours: 0117 496 0831.", "0117 496 0831"),
    # a person listed under the post they hold; not an office
    (
        "Who is in charge of route setting?",
        "- Head of Route Setting: Tomasz Wierzbicki",
        "Tomasz Wierzbicki",
    ),
    ("Who runs the head office?", "- Head office: Leeds City Centre", None),
    # a spot on a site where a thing is kept or people meet; a path where data is
    (
        "Where is the defibrillator kept?",
        "- The defibrillator (AED) is on the wall to the left of the reception desk.",
        "on the wall to the left of the reception desk",
    ),
    (
        "Where do we all meet if the fire alarm goes off?",
        "Leave by the nearest exit and go to the assembly point in row F of the car park.",
        "in row F of the car park",
    ),
    (
        "Where are the fonts kept?",
        "Fonts are kept in the directory /usr/share/fonts.",
        "/usr/share/fonts",
    ),
    ("Where are the thumbnails stored?", "Thumbnails are stored in the cache directory.", None),
    # "how deep", "how quickly", a keyword query's "age" or "email"
    ("How deep can an expression tree be?", "It has a default value of 1000.", "1000"),
    (
        "how quickly will somebody fix a dripping tap?",
        "Routine repairs such as a dripping tap are done within 28 days.",
        "28 days",
    ),
    ("harness retirement age", "Harnesses are retired 5 years after manufacture.", "5 years"),
    (
        "anonymous safety concern email",
        "Members can report a concern anonymously by e-mail to safety@example.org.",
        "safety@example.org",
    ),
    # a double-barrelled name whole
    (
        "Who is the research tutor for arts?",
        "The research tutor is Dr Gareth Llewellyn-Price, who meets students weekly.",
        "Dr Gareth Llewellyn-Price",
    ),
    # a date asked is the day, a time asked the hour
    (
        "HCO Brahms concert date",
        "Saturday 25 April 2026, 7.30pm | Mozart and Brahms",
        "25 April 2026",
    ),
    ("What time does the concert start?", "Saturday 25 April 2026, 7.30pm | Brahms", "7.30pm"),
    # a line's number is one to call; a number is no piece of a telephone number
    ("Marlow leakline number", "Leakline (free, 24 hours a day): 0800 316 4999", "0800 316 4999"),
    ("What is the room number of the office?", "Telephone the office on 01632 555 0123.", None),
    # a web address under a country's domain
    (
        "Where can I submit a meter reading online?",
        "Submit online: marlowvalewater.co.uk/meter-reading",
        "marlowvalewater.co.uk/meter-reading",
    ),
    # a charge, what one pays, a discount
    (
        "What do I pay to bring my baby on my lap?",
        "Infants under 2 travel on an adult's lap for a fixed charge of £18 per one-way flight.",
        "£18",
    ),
    ("What is the charge for golf clubs?", "- Golf clubs: £40 per one-way flight.", "£40"),
    ("What discount does the resident fare give?", "The resident fare gives 40% off.", "40%"),
    # a bound or an open end is part of the value, but not nearer the question's words for it
    (
        "What key size is required?",
        "Keys must be greater than 3072 bits.",
        "greater than 3072 bits",
    ),
    (
        "How many hives does the club keep?",
        "The club keeps a dozen or more hives.",
        "a dozen or more hives",
    ),
    (
        "What key size is recommended?",
        "The key must be no less than 2048 bits long (3072 bits is recommended).",
        "3072 bits",
    ),
    # a part and its whole
    (
        "How many lessons must a learner attend?",
        "Learners must attend 9 of the 12 lessons.",
        "9 of the 12 lessons",
    ),
    # a question asking for several gets the list
    (
        "Which days is the shop open?",
        "The shop opens on Tuesdays, Thursdays and Saturdays.",
        "Tuesdays, Thursdays and Saturdays",
    ),
    (
        "Where are the two depots?",
        "Our vans leave from depots in Leeds and Hull.",
        "Leeds and Hull",
    ),
    (
        "What are the delays between reminders?",
        "Reminders go out after delays of 7, 14 or 30 days, by plan.",
        "7, 14 or 30 days",
    ),
    (
        "Who are the trustees?",
        "The trustees are Dr Ann Wu, Mr Bob Hale and Ms Cara Diaz.",
        "Dr Ann Wu, Mr Bob Hale and Ms Cara Diaz",
    ),
    (
        "Where did the team play its first match?",
        "The team played its first match in Leeds, then in Hull and York.",
        "Leeds",
    ),
    # an option with its other form; a variable with the value it is set to
    (
        "Which option prints no messages at all?",
        "-q, --quiet print no messages -v, --verbose print a message per page -h, --help show this"
        " help and exit. Report bugs to the tracker, saying which version and which platform you"
        " ran, with every message the option printed.",
        "-q, --quiet",
    ),
    (
        "Which variable do I set to turn the cache on?",
        "To turn the cache on, set PDFMILL_CACHE=1 before running.",
        "PDFMILL_CACHE=1",
    ),
    # a street address's number and a release's are no count or price
    (
        "How much is parking at the Civic Centre?",
        "Hearings take place at the Civic Centre, 3 Tanners Row.",
        None,
    ),
    (
        "What is the maximum number of files merge accepts?",
        "--out still works but will be removed in 1.0.",
        None,
    ),
    ("How long is the timeout?", "The timeout is 2.5 seconds in 1.4 and later.", "2.5 seconds"),
    # a form's number is its name
    ("appeal form number", "To appeal, file form N164 within 21 days.", "N164"),
    # where a meeting is held is a place to go to, not an address to write to
    (
        "Where is the AGM held?",
        "The AGM is held at Llanfair Community Hall; proxies go to secretary@wyvern.coop.",
        "Llanfair Community Hall",
    ),
    # a Windows share's path
    (
        "colour printer network path",
        r"Map the colour printer at \\print01.foundrylane.local\Members-Colour today.",
        r"\\print01.foundrylane.local\Members-Colour",
    ),
    (
        "Where is the config file on Windows?",
        r"It is at %APPDATA%\haul\config.toml.",
        r"%APPDATA%\haul\config.toml",
    ),
    # a number dialled is no quantity; a speed is told in its unit
    ("How many people can call the line?", "In an emergency, call 999 first.", None),
    (
        "What is the maximum spin speed?",
        "Maximum spin speed | 1,400 rpm\nDrum volume | 8 kg",
        "1,400 rpm",
    ),
    # a name in any alphabet's letters
    ("Who founded the firm?", "It was founded in 2016 by Tomasz Wróbel.", "Tomasz Wróbel"),
    # a mobile number to call, whole
    (
        "Could you tell me the number to call if the station goes off air?",
        "If we go off air, call the on-call engineer on 07700 900771 at any hour.",
        "07700 900771",
    ),
    # the number nearest the word of the thing it numbers
    (
        "What is the station's licence number?",
        "Bay Radio CIC (company number 09126654) broadcasts under licence CR000212.",
        "CR000212",
    ),
    (
        "planning application reference",
        "An application was made on 23 October 2023 (reference P/2023/0917).",
        "P/2023/0917",
    ),
    # a charge told as a share
    ("How much deposit do I pay when I book?", "A deposit of 25% is payable at booking.", "25%"),
    (
        "What is the annual fee?",
        "The annual fee is £21,650, with a 2 per cent discount for early payment.",
        "£21,650",
    ),
    # a person listed with what they do
    (
        "Who is the lead maintainer?",
        "- Marguerite Okafor (@mokafor) — lead maintainer",
        "Marguerite Okafor",
    ),
    # an untitled person thanked, or a "who" clause is of, and one under a title of the trade
    (
        "Who joined as co-maintainer in 1.4.0?",
        "Thanks to Femi Adebayo, who joined as co-maintainer with this release.",
        "Femi Adebayo",
    ),
    ("Who is the Chief Arbiter?", "Chief Arbiter: IA Margaret Osei", "Margaret Osei"),
    # an environment variable is written in capitals, not as its default's folder
    (
        "Which environment variable changes where the cache is stored?",
        "- BRISK_CACHE_DIR — location of the persistent cache (default node_modules/.brisk-cache)",
        "BRISK_CACHE_DIR",
    ),
    # the default is told before the setting it may be changed to
    (
        "What is the default PDF timeout?",
        "The PDF timeout is 60 seconds per deck and can be raised with timeout = 120.",
        "60 seconds",
    ),
    # a meeting's day, not the months it runs in
    (
        "imaging group meeting day",
        "The imaging group meets on the last Wednesday of each month, October to March.",
        "last Wednesday of each month",
    ),
    ("When does the shop open?", "The shop opens at 9am Monday to Saturday.", "9am"),
    # a venue by its building, in a field line
    (
        "Where is the junior congress being held?",
        "VENUE: Rastrick Community Centre, Crowtrees Lane, Brighouse HD6 3LZ",
        "Rastrick Community Centre, Crowtrees Lane",
    ),
    # a registration's number counts nothing
    (
        "How many members does the tool library have?",
        "It is registered with the Charity Commission under number 1187432.",
        None,
    ),
    # a form posted goes to a street address, not the website
    (
        "Where do I post the paper entry form to?",
        "Enter online at https://fenwickchess.org.uk/congress, or post the entry form to: The"
        " Entries Secretary, 9 Linden Grove, Fenwick FW4 2JD.",
        "9 Linden Grove, Fenwick",
    ),
    # opening hours are a span of the clock; a start or an end is one of its bounds
    ("tool library saturday opening hours", "Saturday | 10:00 am – 2:00 pm", "10:00 am – 2:00 pm"),
    ("When is the library open on Saturdays?", "On Saturdays it is open 9am to 1pm.", "9am to 1pm"),
    ("What time does the talk start?", "The talk runs from 7:30 pm to 9 pm.", "7:30 pm"),
    ("What time does the talk finish?", "The talk runs from 7:30 pm to 9 pm.", "9 pm"),
    ("What time is the talk?", "The talk is at 7 p.m.", "7 p.m."),
    # a prize is money; a deadline "to" do something a date
    ("whats the first prize in the open section", "Open | £400 | £200 | £100", "£400"),
    (
        "What is the deadline to withdraw and still get a full refund?",
        "Players who withdraw before 7 March 2025 receive a full refund.",
        "7 March 2025",
    ),
    # a security fix by its identifier
    (
        "Which CVE was fixed in 1.4.2?",
        "- Raw HTML is now sanitised, fixing a cross-site scripting problem (CVE-2025-31877).",
        "CVE-2025-31877",
    ),
    # a measure with units of its own is told in them: not a cone's "04"
    (
        "What temperature does a bisque firing reach?",
        "Bisque | 04 | 1060 °C | Big Bertha | 5 days",
        "1060 °C",
    ),
    ("What is the motor power in watts?", "The 2 motors are rated at 250 W each.", "250 W"),
    ("slidewright default port", "The default port for serve is now 8040.", "8040"),
    (
        "What is the current release of Slidewright?",
        "- Current release: 1.4.2 (18 March 2025)",
        "1.4.2",
    ),
    # a DOI whole; a grid reference; a stop by its name
    (
        "I want to cite it properly — what DOI should I use?",
        "Slidewright (version 1.4). doi:10.5281/zenodo.10455123.",
        "10.5281/zenodo.10455123",
    ),
    (
        "What is the grid reference of the dark site?",
        "Observing takes place at the dark-sky site at Coveney Fen (grid reference TL 489 823).",
        "TL 489 823",
    ),
    (
        "Which tram stop is nearest to the studio?",
        "The studio is a 5-minute walk from the Shalesmoor tram stop.",
        "Shalesmoor tram stop",
    ),
    # a postcode's digits count nothing
    ("How many members does the studio have?", "Address: 22 Kelham Road, Sheffield S3 8RE", None),
    # a part of a year; a span of working days; a year before 1800 after "in"
    (
        "When is Tideline 4.0 planned for release?",
        "Version 4.0 is planned for the first quarter of 2026.",
        "first quarter of 2026",
    ),
    (
        "I think the fine is out of proportion — how long do I have to appeal?",
        "You may appeal within 10 working days of the outcome letter.",
        "10 working days",
    ),
    (
        "When was the market's royal charter granted?",
        "A market has been held on the square since a royal charter granted in 1227.",
        "1227",
    ),
    # a thing's history is dated by a day or a year, not an hour
    ("When was the Town Hall built?", "Office hours: Monday to Friday, 09:00–17:00.", None),
    # a service's number is where to call
    (
        "Can you tell me the number for Campus Security if I get locked out?",
        "Contact Campus Security on 01632 960 441. A call-out charge of £10 applies.",
        "01632 960 441",
    ),
    # "the maximum number of X" counts X: two dogs are no count of cats
    (
        "What is the maximum number of cats allowed per pitch?",
        "- Two dogs per pitch at most.",
        None,
    ),
    (
        "What is the maximum number of dogs allowed per pitch?",
        "- A maximum of two dogs per pitch.",
        "A maximum of two dogs per pitch",
    ),
    # in a line of fields, a value is its own label's, not the next one's
    (
        "out of hours warden phone",
        "Reception phone: 01736 555 0192 Out-of-hours warden: 07700 900 845",
        "07700 900 845",
    ),
    # an age counts nothing; a list item's number is no quantity; a website is not posted to
    ("How many patients are registered?", "Patients aged 16 and 17 may attend alone.", None),
    (
        "How long do I have to lodge an appeal?",
        "When an appeal is lodged, the council:\n\n1. sends the Inspectorate a questionnaire",
        None,
    ),
    (
        "What is the postal address of the Planning Inspectorate?",
        "Website: www.gov.uk/appeal-planning-inspectorate",
        None,
    ),
    # a town with its country; a deposit told as a share beside its minimum
    (
        "Where is the proposed choir tour in May 2027?",
        "Mr Boateng outlined a possible choir tour to Ghent, Belgium, in May 2027.",
        "Ghent, Belgium",
    ),
    (
        "how much deposit do i pay wen booking",
        "Deposit: 25% of the total at booking (pitches: £30 minimum)",
        "25%",
    ),
    # pence are money
    (
        "How much do I get back for driving to an outside broadcast?",
        "Volunteers claim travel for outside broadcasts at 45p per mile.",
        "45p",
    ),
    ("How much is full adult membership?", "Adult | £36 | Voting rights", "£36"),
    # a part of a whole, by the words that set it apart; the whole when asked
    (
        "How many items were repaired?",
        "Volunteers saw 412 items, of which 286 were repaired and 61 were judged beyond repair.",
        "286",
    ),
    (
        "How many items were judged beyond repair?",
        "Volunteers saw 412 items, of which 286 were repaired and 61 were judged beyond repair.",
        "61",
    ),
    (
        "How many items did volunteers see?",
        "Volunteers saw 412 items, of which 286 were repaired and 61 were judged beyond repair.",
        "412 items",
    ),
    (
        "How many volunteers are qualified electricians?",
        "We have 27 registered volunteers, 9 of whom are qualified electricians.",
        "9",
    ),
    (
        "How many volunteers are registered?",
        "We have 27 registered volunteers, 9 of whom are qualified electricians.",
        "27 registered volunteers",
    ),
    # a date in the year the question names, not the one beside its other words
    (
        "Can you tell me when picking started for the 2024 vintage?",
        "Picking began on 5 February 2024 and finished on 28 March 2024, making this the earliest"
        " finish to vintage since 2008.",
        "5 February 2024",
    ),
    # a release asked as the current one
    (
        "What is the current stable release of kestrel-operator?",
        "Current stable release: v1.4.2 (2025-04-09).",
        "v1.4.2",
    ),
    # a code to quote is a name, not a share
    (
        "What is the discount code for Deer Park Country House?",
        "Deer Park Country House — 10% discount for Larchcombe Mill guests with code MILL10.",
        "MILL10",
    ),
    ("BACS sort code street trading fees", "Sort code: 30-96-18", "30-96-18"),
    # a person after their trade
    (
        "Who is the head chef at Larchcombe Mill?",
        "All catering is by our in-house team led by head chef Matthew Rees.",
        "Matthew Rees",
    ),
    ("Who is the head chef?", "Matthew Rees is our head chef.", "Matthew Rees"),
    # a number the question gives is the asker's, not the answer
    (
        "My daughter is 13 and dreams of flying on her own — what is the minimum age to fly solo?",
        "You must be at least 13 years old for a trial flight, and 14 to fly solo.",
        "14",
    ),
    # the value told beside the case asked
    (
        "BTBA sanction fee junior",
        "The BTBA sanction fee is £18 per adult and £9 for juniors under 18.",
        "£9",
    ),
    ("How much is an adult ticket?", "Tickets: children £6, adults £12.", "£12"),
    ("club radio frequency", "3.3 The club radio frequency is 129.980 MHz.", "129.980"),
    # a name with a nickname quoted inside it
    (
        "Who retired from the cellar team in April 2024?",
        'Our long-serving cellar hand, Graham "Bluey" Pascoe, retired in April 2024.',
        'Graham "Bluey" Pascoe',
    ),
    # a ground by its name
    (
        "Where is the home ground of Kingsmead Rovers?",
        "Our home ground is Kingsmead Recreation Ground, Fenwick Lane, Kingsmead.",
        "Kingsmead Recreation Ground, Fenwick Lane",
    ),
    # how loud: in decibels
    (
        "how loud can the band be in the barn",
        "Up to 140 guests are seated in the barn, where sound is limited to 95 dB.",
        "95 dB",
    ),
    # hours of the clock, both ends
    (
        "under 12 training time",
        "- Under 12 to Under 16: Thursday, 6:30–8:00 pm, Kingsmead Academy sports hall",
        "6:30–8:00 pm",
    ),
    ("viewing times", "Viewings are on Wednesdays from 2 to 6 pm, by appointment.", "2 to 6 pm"),
    ("What are the opening hours on Saturday?", "Saturday 09:00 - 13:00", "09:00 - 13:00"),
    # a date in the month the question names; a day range is one date
    (
        "When does the October 2024 IDC run?",
        "2024 dates: 8–21 April, 3–16 June and 14–27 October.",
        "14–27 October",
    ),
    # a day of the week with a time after it is a day that comes round
    (
        "Which day does the boat go to the MV Karwela wreck?",
        "Tuesday 08:30 Xatt l-Ahmar: MV Karwela wreck 13:00",
        "Tuesday",
    ),
    # a thing's number, not its name
    (
        "What is the planning application number for the extension at 4 Mill Road?",
        "24/037 PLANNING\nApplication 3PL/2024/0188/F — two-storey side extension, 4 Mill Road.",
        "3PL/2024/0188/F",
    ),
    (
        "PADI centre number",
        "We teach PADI courses and are a PADI 5 Star IDC Centre (no. S-21874).",
        "S-21874",
    ),
    (
        "What is the club's British Fencing club number?",
        "We are affiliated to British Fencing (club number BF-2291).",
        "BF-2291",
    ),
    (
        "What is the emergency casualty line number?",
        "Out of hours, ring the emergency casualty line, 07700 914 226.",
        "07700 914 226",
    ),
    # the value in the clause of the case asked
    (
        "What is the campaign budget for part-time candidates?",
        "Each sabbatical candidate has a campaign budget of £80; part-time candidates have £30.",
        "£30",
    ),
    # "who do I email": the address
    (
        "Who do I email about paying my membership?",
        "Speak in confidence to the Treasurer, Neil Capstick (treasurer@castlegatefencing.co.uk).",
        "treasurer@castlegatefencing.co.uk",
    ),
    # a history is told in years; a rule's number counts nothing
    (
        "when was the village hall built",
        "Meetings are held in Wendham Village Hall, except in August and December.",
        None,
    ),
    ("How many hours a week does the role take?", "The role is set out in Schedule 4.", None),
    # a discount as a share; "the right one" counts nothing; kids are children
    (
        "What discount do we get for booking five or more full days?",
        "Book five or more full days within a 60-day period and we take 12% off the room hire.",
        "12%",
    ),
    (
        "How many levels are there?",
        "Below is a description of each level so you can choose the right one.",
        None,
    ),
    (
        "whats the max number of kids per instructor in bambini club",
        "In the Bambini Club there are at most 5 children per instructor.",
        "at most 5",
    ),
    # an age is no sum of money, an issue's number no count
    (
        "What is the minimum age for off-piste guiding?",
        "Off-piste guiding costs €520 per day.",
        None,
    ),
    ("How many flags can a file hold?", "Fixed a crash with very large flag files (#344).", None),
    # the end of a time asked; the hour for "what time of day"
    (
        "When is the closing date for applications?",
        "Applications open on Monday 1 September 2025 and close at 17:00 on Friday 10 October"
        " 2025.",
        "10 October 2025",
    ),
    (
        "What time of day does the allocations panel meet?",
        "The allocations panel next meets on 21 October 2024.",
        None,
    ),
    # "what time" is never answered by a year
    (
        "What time does the masterclass start?",
        "A seated tasting of five vintages (2012, 2015 and 2022), hosted by the winemaker.",
        None,
    ),
    # an identifier in its scheme's form
    (
        "Which advisory ID tracks the path traversal bug?",
        "A crafted URL containing ..%2f could read files. Tracked as GHSA-7q3m-hx2c-9f4w.",
        "GHSA-7q3m-hx2c-9f4w",
    ),
    # a file or folder the text names as one
    (
        "Which file do I edit to add a mirror?",
        "To add a mirror, edit the mirrors_local file in your home.",
        "mirrors_local",
    ),
]


# What the question itself names is no answer, and a code's number is no count.
NOT_ANSWERS = [
    # a release of the version the question gives
    ("What is the default number of worker threads in version 2.4?", "[2.4.3] — 2023-03-21", None),
    (
        "What is the default number of worker threads in version 2.4?",
        "The default is 4 threads.",
        "4 threads",
    ),
    # the name the question gives, with a nickname between
    ("Who was the coxswain before Michael Bolitho?", '- Coxswain: Michael "Mick" Bolitho', None),
    # the date the question gives, with its year
    (
        "What time does the talk on 27 April start?",
        "The next talk will be held on 27 April 2024 at the car park.",
        None,
    ),
    ("How many downloads a month does it get?", "It ships wheels for x86-64 and arm64.", None),
    (
        "What key length must the key be greater than?",
        "Your key length must be greater than 2048 bits (4096 bits is preferred).",
        "greater than 2048 bits",
    ),
    # a temperature is not told in hours
    (
        "What temperature should a cellar be kept at?",
        "If the temperature is right and the beer has had 48 hours on the stillage, pour a pint.",
        None,
    ),
    # an age is no count of other things
    (
        "What is the minimum age for the Learn to Lead course?",
        "Learn to Lead: two 3-hour lessons.",
        None,
    ),
    ("What is the minimum age?", "We need at least 4 people to run a class.", None),
    ("What is the minimum age to fly solo?", "You must be 14 to fly solo.", "14"),
    # a distance is not told in grams, a port with no unit
    ("How far did the warbler fly?", "The weight gain of 3.7 g shows how warblers fatten.", None),
    ("How far is the station?", "The station is a 7-minute walk away.", "7-minute"),
    ("Which port does the adapter use?", "Keys: port, open_timeout (default 10 seconds).", None),
    # the day of an event, not the hour it ends; the name asked of, misspelt
    (
        "When is the Green Week pop-up stall?",
        "Green Week: Wednesday 23 October 2024, 14:00–17:00, Westgate Library.",
        "23 October 2024",
    ),
    (
        "who is taking over sector 2 from margret quigley",
        "Thanks to Margaret Quigley, who is stepping down from Sector 2.",
        None,
    ),
    # a place keyed by its kind
    (
        "Which railway station is nearest to the base?",
        "Nearest station: Whitchurch (Shropshire), 15 km; taxis 01630 657 000",
        "Whitchurch",
    ),
    # a keyword query's "number of" counts: a price counts nothing
    ("number of bedrooms riverside quarter", "Riverside Quarter | En-suite single | £197.50", None),
    # people titled as officers and clergy are, and a code host's handle credited
    (
        "Who is the beat manager for Eastfield?",
        "Present: PC Laura Whitcombe (Beat Manager for Eastfield) and 38 members.",
        "PC Laura Whitcombe",
    ),
    (
        "Who was the coxswain on the night?",
        "The lifeboat launched at 02:10 under Coxswain Michael Bolitho.",
        "Coxswain Michael Bolitho",
    ),
    (
        "Who reported the loop bug?",
        "- sepEndBy no longer loops forever (#412, reported by @mkawashima).",
        "@mkawashima",
    ),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), [*CASES, *NOT_ANSWERS])
def test_the_short_answer_is_the_value_asked_for(
    question: str, sentence: str, expected: str | None
) -> None:
    span = short_answer(question, sentence)
    assert (sentence[span[0] : span[1]] if span else None) == expected


def test_two_or_more_counts_nothing() -> None:
    """ "Two or more users" says "several": a sentence saying only that does not tell how many
    (the highlight and the abstention rule read the same values)."""
    question = "How many users can join one session?"
    assert answer_values(question, "Two or more users can join one session.") == []
    assert answer_values(question, "One or more users may join a session.") == []
    assert answer_values(question, "Up to 16 users can join one session.") != []


def test_ask_returns_the_short_answer_inside_the_first_highlight(http: httpx.Client) -> None:
    body = http.post(
        "/ask", json={"question": "When did the ROK become a full Dialogue Partner of ASEAN?"}
    ).json()
    first, answer = body["passages"][0], body["answer"]
    assert answer["text"] == "July 1991"
    assert first["text"][answer["start"] : answer["end"]] == answer["text"]
    assert (
        first["highlight"]["start"] <= answer["start"] < answer["end"] <= first["highlight"]["end"]
    )


def test_a_contracted_question_is_read_as_its_full_form(http: httpx.Client) -> None:
    """ "What's the number of ..." asks for a number as "What is the number of ..." does."""
    answers = [
        http.post(
            "/ask", json={"question": f"{opening} the number of ASEAN nationals in Korea?"}
        ).json()["answer"]
        for opening in ("What's", "What is")
    ]
    assert answers[0] is not None and answers[0] == answers[1]
    assert "740,000" in answers[0]["text"]


def test_no_short_answer_for_an_untyped_or_unanswerable_question(http: httpx.Client) -> None:
    why = http.post("/ask", json={"question": "Why does the CSP matter to ASEAN?"}).json()
    assert why["passages"] and why["answer"] is None
    off = http.post("/ask", json={"question": "What is the capital of France?"}).json()
    assert off["answerable"] is False and off["answer"] is None


def test_confidence_grows_with_the_evidence() -> None:
    """A constructed pair: the same passages, with and without the rule finding the answer."""
    without, found = confidence(np.array([0.0])), confidence(np.array([1.0]))
    assert 0.0 <= without < 0.5 < found <= 1.0


def test_ask_reports_a_confidence_that_follows_the_verdict(http: httpx.Client) -> None:
    sure = http.post("/ask", json={"question": "When did the ROK become a full Dialogue Partner?"})
    off = http.post("/ask", json={"question": "What is the capital of France?"})
    assert sure.json()["answerable"] and not off.json()["answerable"]
    assert sure.json()["confidence"] > 0.8 > 0.3 > off.json()["confidence"] >= 0.0


@pytest.mark.parametrize(
    ("question", "sentence", "shown"),
    [
        ("When did the Nordic Council open its office?", "It opened an office in Oslo.", False),
        ("When did the Nordic Council open its office?", "It opened in May 2019.", True),
        ("How much did the quay cost?", "The quay was built by the port authority.", False),
        # a name goes untitled in many texts: it is not wanted read
        ("Which organisation maintains tidewatch?", "It is kept by the Lantern collective.", True),
        # a body of the country asked for: another country's does not show it
        (
            "Which Vietnamese agency signed the pact?",
            "The pact was signed by the National Research Agency of Indonesia.",
            False,
        ),
    ],
)
def test_the_sentence_shown_must_hold_a_value_read_surely(
    question: str, sentence: str, shown: bool
) -> None:
    assert value_shown(question, sentence) is shown


@pytest.mark.parametrize(
    ("question", "sentence", "values"),
    [
        # a place and the place it lies in are one answer
        ("Where was it held?", "It was held in Bergen, Norway.", ["Bergen, Norway"]),
        ("Where was it held?", "It was held in Bergen, Norway, in 2019.", ["Bergen, Norway"]),
        ("Where was it held?", "In Bergen, Norway, ministers met.", ["Bergen, Norway"]),
        ("Where was it held?", "It met in Bergen, Norway, and the port grew.", ["Bergen, Norway"]),
        # a list of places is several, each one an answer
        (
            "Where did they meet?",
            "They met three times, in Tromso, Bergen, and Lerwick.",
            ["Tromso", "Bergen", "Lerwick"],
        ),
        (
            "Besides Tromso and Bergen, where did they meet?",
            "They met three times, in Tromso, Bergen, and Lerwick.",
            ["Lerwick"],
        ),
    ],
)
def test_places_listed_are_each_an_answer(question: str, sentence: str, values: list[str]) -> None:
    assert [sentence[a:b] for a, b in answer_values(question, sentence)] == values


@pytest.mark.parametrize(
    ("question", "sentence", "values"),
    [
        # what is to come may be told relative to something else; what happened is dated
        (
            "My dad has a video appointment; when will he get the link?",
            "The video link is sent by text message 30 minutes beforehand.",
            ["30 minutes beforehand"],
        ),
        ("When must I reply?", "Replies are due within 14 days of the notice.", ["within 14 days"]),
        ("When was the link sent?", "The link is sent 30 minutes beforehand.", []),
        # a building or a site by its name, a folder of a source tree
        (
            "Where can I get a walk-in blood test?",
            "Walk-in tests are offered at the Ashcombe Health Centre on weekdays.",
            ["Ashcombe Health Centre"],
        ),
        (
            "Where can I find the dashboard?",
            "A ready-made dashboard is in contrib/grafana.",
            ["contrib/grafana"],
        ),
        ("Where is it kept?", "You can read and/or write it.", []),
        (
            "Where is the nearest car park?",
            "The nearest car park is Harbour car park, 300 metres away.",
            ["Harbour car park"],
        ),
        # a chief executive set off by commas after the role
        (
            "Who is the chief executive of the agency?",
            "The agency's chief executive, Martin Okafor, said it would rise.",
            ["Martin Okafor"],
        ),
        # a fee asks for money, not the discount's per cent; no comma after the amount
        (
            "What is the annual fee for a laboratory degree?",
            "The annual fee is £21,650, with a 2 per cent discount for early payment.",
            ["£21,650"],
        ),
        # the Holy See is a country
        (
            "Which country has the code VA?",
            "alpha_2: VA; alpha_3: VAT; numeric: 336; name: Holy See (Vatican City State)",
            ["Holy See"],
        ),
        # a professor by the title
        (
            "Who is the Dean of Students?",
            "The Dean of Students is Professor Imogen Radley.",
            ["Professor Imogen Radley"],
        ),
    ],
)
def test_a_value_is_read_in_the_forms_people_write_it(
    question: str, sentence: str, values: list[str]
) -> None:
    assert [sentence[a:b] for a, b in answer_values(question, sentence)] == values


_SUBCOMMANDS = (
    "Subcommand | What it does | Since\nmerge | Join files in order | 0.6.0\n"
    "split | Cut a page range | 0.6.0\nstamp | Put text on each page | 0.7.0\n"
    "rotate | Turn pages | 0.8.0"
)
_COLLECTORS = (
    "Village | Collector | Phone\nAshby Parva | Sally Mbeki | 07700 900881\n"
    "Cotter End | Raj Patel | 07700 900123\nHarrowfield | Ann Lee | 07700 900456"
)
_FEES = (
    "Claim amount | Hearing fee\nUp to £300 | £27\n£300.01 to £500 | £59\n"
    "£500.01 to £1,000 | £85\nOver £3,000 | £346"
)
_RECORDS = (
    "Category | Time | Holder | Year\nMen | 2:11:49 | Samuel Rotich | 2019\n"
    "Women | 2:29:10 | Ana Ruiz | 2021"
)


@pytest.mark.parametrize(
    ("question", "table", "expected"),
    [
        # the value of the row the question names, not the first row's
        ("Which version introduced the stamp subcommand?", _SUBCOMMANDS, "0.7.0"),
        # a name given bare in a cell, in the row the question names
        ("Who collects swarms in harrowfield?", _COLLECTORS, "Ann Lee"),
        (
            "Who is the swarm collector for Ashby Parva and Thorne?",
            "Ashby Parva and Thorne | Sally Mbeki | 07700 900881",
            "Sally Mbeki",
        ),
        (
            "Who is the swarm collector for Ashby Parva and Thorne?",
            "Ashby Parva and Thorne | Sally Mbeki (Thorne Apiary) | 07700 900881",
            "Sally Mbeki",
        ),
        # a row matched by a year alone may record another thing than the one asked
        ("Who measured the course in 2019?", _RECORDS, None),
        # the band holding the amount the question gives keys the row, and is not its value
        ("What is the hearing fee for a claim of £800?", _FEES, "£85"),
        ("hearing fee for a £5,000 claim", _FEES, "£346"),
        ("What is the hearing fee for a £150 claim?", _FEES, "£27"),
        ("online issue fee for a £2,000 claim", "Issue fee (band £1,500.01-3,000): £105", "£105"),
        # rows sharing as many words: the one whose key holds more of them, and fewer others
        (
            "How much is the annual subscription for a full flying member?",
            "Student flying member | Full-time students aged 21 to 25 | £210\n"
            "Full flying member | Adults aged 21 and over | £480",
            "£480",
        ),
        (
            "How much is a street trading consent for food?",
            "Street trading consent, non-food | £860\nStreet trading consent, food | £1,120",
            "£1,120",
        ),
    ],
)
def test_a_table_is_read_in_the_row_asked_about(
    question: str, table: str, expected: str | None
) -> None:
    span = short_answer(question, table)
    assert (table[span[0] : span[1]] if span else None) == expected


@pytest.mark.parametrize(
    ("question", "header", "row", "expected"),
    [
        (
            "What does a catering pitch cost at the Saturday market?",
            "Pitch | Tuesday | Saturday | Sunday",
            "Catering pitch | £40 | £55 | £48",
            "£55",
        ),
        (
            "How many food parcels were distributed in 2023/24?",
            "Measure | 2022/23 | 2023/24 | Change",
            "Food parcels distributed | 6,930 | 8,412 | +21%",
            "8,412",
        ),
        # the column naming the most of the question
        (
            "How much is a 5-day group lesson in peak season?",
            "Course | Low season | Peak season",
            "5 days (Sunday to Thursday) | €289 | €319",
            "€319",
        ),
        # a question naming no column: the total, when a column sums the others ...
        (
            "How much is a 12-month street trading consent for food?",
            "Type of permission | Term | Application fee | Grant fee | Total",
            "Street trading consent, food | 12 months | £120 | £1,120 | £1,240",
            "£1,240",
        ),
        # ... else the row's first value, as without a header
        (
            "How many food parcels were distributed?",
            "Measure | 2022/23 | 2023/24 | Change",
            "Food parcels distributed | 6,930 | 8,412 | +21%",
            "6,930",
        ),
    ],
)
def test_a_table_s_value_is_read_in_the_column_the_question_names(
    question: str, header: str, row: str, expected: str
) -> None:
    """The header row above a row names its columns: "Saturday" picks the Saturday price."""
    found = table_header(f"Fees\n\n{header}\nStandard stall | 1 | 2 | 3\n", row)
    assert found == header
    span = short_answer(question, row, found)
    assert span is not None and row[span[0] : span[1]] == expected


def test_the_engine_reads_a_table_by_the_column_asked(tmp_path: Path, encoder: Encoder) -> None:
    """End to end: the short answer of a fee table's row is the cell of the day asked."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "market.md").write_text(
        "# Charter Market stall fees\n\n"
        "Stalls are let by the day. Fees are paid when you book.\n\n"
        "| Pitch | Tuesday | Saturday | Sunday |\n|---|---|---|---|\n"
        "| Standard stall | £24 | £32 | £28 |\n"
        "| Catering pitch | £40 | £55 | £48 |\n\n"
        "The market is run by Castlebridge District Council.\n"
    )
    settings = Settings(home=tmp_path / "home", corpus=corpus)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    result = Engine(settings, encoder).ask("What is the fee for a catering pitch on Saturday?", 3)
    assert result.answerable and result.answer is not None
    assert result.answer.text == "£55"


def test_a_changelog_item_is_answered_by_its_release(tmp_path: Path, encoder: Encoder) -> None:
    """ "In which version was X fixed?" is answered by the heading of the release X stands under,
    shown with the item that tells it; an option the changelog never names is not answered."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "CHANGELOG.md").write_text(
        "# Changelog for kestrel\n\n"
        "All notable changes to this project are documented here.\n\n"
        "## 2.4.1 — 2024-09-09\n\n### Fixed\n\n"
        "- sepEndBy no longer loops forever when the separator parser succeeds without "
        "consuming input (#412, reported by @mkawashima).\n"
        "- renderErrors printed the wrong column for lines containing tab characters.\n\n"
        "## 2.4.0 — 2024-06-01\n\n### Added\n\n"
        "- --max-workers option to limit the number of worker threads.\n"
    )
    settings = Settings(home=tmp_path / "home", corpus=corpus)  # type: ignore[arg-type]
    ingest([corpus], encoder, settings.home, settings.build_options())
    engine = Engine(settings, encoder)
    fixed = engine.ask("Which version fixed the sepEndBy infinite loop?", 3)
    assert fixed.answerable and fixed.answer is not None and fixed.answer.text == "2.4.1"
    first = fixed.passages[0]
    assert first.highlight is not None
    shown = first.text[first.highlight.start : first.highlight.end]
    assert shown.startswith("2.4.1 — 2024-09-09") and "sepEndBy no longer loops" in shown
    # the change asked, by the section it stands under
    assert not engine.ask("In which version was the --max-workers option removed?", 3).answerable
    added = engine.ask("In which version was the --max-workers option added?", 3)
    assert added.answer is not None and added.answer.text == "2.4.0"
    assert not engine.ask("In which version was the --min-workers option added?", 3).answerable
    reporter = engine.ask("Who reported the sepEndBy loop bug?", 3)
    assert reporter.answer is not None and reporter.answer.text == "@mkawashima"


@pytest.mark.parametrize(
    ("line", "release"),
    [
        ("2.4.1 — 2024-09-09", True),
        ("## [1.9.0] - 2023-11-02", True),
        ("tagwright 2.0.0 (2024-01-10)", True),
        ("Version 3.1.0 (2024-05-01)", True),
        ("2.1 ASN.1 syntax", False),  # a section's number before its title
        ("4.4.1. The bugs server", False),
        ("- Bumped zlib to 1.3.1", False),  # an item
    ],
)
def test_a_release_heading_is_told_from_a_sections_number(line: str, release: bool) -> None:
    assert release_heading(line) is release


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("Where is the solvent store?", "Solvent store: Room B.14 (key at the desk).", "Room B.14"),
        ("Which room is the journal club in?", "- Journal club: Fridays, 12:00, Lab 3B.", "Lab 3B"),
        ("Who compiled the glossary?", "Compiled by: Rhian Baptiste and others", "Rhian Baptiste"),
        (
            "Whose approval do changes to the build scripts need?",
            "- Changes to the build scripts need approval from Ilse Vandamme.",
            "Ilse Vandamme",
        ),
        ("Who do I speak to about a lease?", "Leases: Petra Novak, Head of Estates", "Petra Novak"),
        ("Who is the head groundskeeper?", "Head Groundskeeper | Owen Pritchard", "Owen Pritchard"),
        (
            "Where did Dr Amos Reed do his vet degree?",
            "Dr Amos Reed took his vet degree at the University of Glasgow in 1999.",
            "University of Glasgow",
        ),
        (
            "Who is the manager at Quay Depot?",
            "site_id: S04; site_name: Quay Depot; contact_name: Ruth Okafor; contact_role: Manager",
            "Ruth Okafor",
        ),
        (
            "Where was Dr Ines Duval working before she joined?",
            "Dr Ines Duval was previously a postdoc at the Paul Scherrer Institute.",
            "Paul Scherrer Institute",
        ),
    ],
)
def test_rooms_institutions_and_untitled_people_are_answers(
    question: str, sentence: str, value: str
) -> None:
    assert value in [sentence[a:b] for a, b in answer_values(question, sentence)]


def test_a_body_s_cell_is_no_answer_when_a_person_is_asked() -> None:
    """A table's cell naming a body bare answers "who" only where a body may: the depot's
    office is not its manager."""
    row = "Quay Depot Lost Property Office | Quay Street, Harrowby | Tue 12:00–15:00"
    assert answer_values("Who is the manager at Quay Depot?", row) == []
    offices = answer_values("Who runs lost property at Quay Depot?", row)
    assert [row[a:b] for a, b in offices] == ["Quay Depot Lost Property Office"]


def test_a_sign_off_is_a_person_s() -> None:
    """Who signed a thing off is a person, not the body the thing is of; an agreement may be
    signed by a body."""
    sentence = (
        "The pool rules of the Marsh Lane Leisure Centre were signed off by Claire Whitfield."
    )
    values = answer_values("Who signed off the pool rules?", sentence)
    assert [sentence[a:b] for a, b in values] == ["Claire Whitfield"]
    signed = "The memorandum was signed by the National Fire Agency in 2019."
    values = answer_values("Who signed the memorandum?", signed)
    assert [signed[a:b] for a, b in values] == ["National Fire Agency"]


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # how long a thing takes is a time, a span's bounds sharing their unit
        (
            "Roughly how long does WebP encoding take for a large photo?",
            "WebP is slower: expect 1–3 seconds per large photo at --effort 6.",
            "1–3 seconds",
        ),
        ("How long does the release build take?", "A release build takes 6 minutes.", "6 minutes"),
        ("How heavy is a medium dog on the plan?", "Medium dogs weigh 10 to 25 kg.", "10 to 25 kg"),
    ],
)
def test_a_time_taken_is_told_in_time_and_a_span_whole(
    question: str, sentence: str, value: str
) -> None:
    found = answer_span(question, sentence)
    assert found is not None and sentence[found[0] : found[1]] == value


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # a postal address, whole, where a place is asked of
        (
            "Where exactly is the out-of-hours clinic?",
            "Unit 4, Brackley Road Trading Estate, Kingsford OX27 4HN",
            "Unit 4, Brackley Road Trading Estate, Kingsford OX27 4HN",
        ),
        (
            "What is the address of the Northfield library?",
            "- Address: Unit 4, Northfield Parade, Wrexford WX3 7LQ",
            "Unit 4, Northfield Parade, Wrexford WX3 7LQ",
        ),
        # an office by its room's code
        ("Where is Dr Osei's office?", "Office: H 3.02", "H 3.02"),
        # people listed with their posts, or by what they did
        (
            "Who chairs the users' committee?",
            "Janet Okoro Chair (user representative, lane swimmers)",
            "Janet Okoro",
        ),
        (
            "Who won the best poster prize?",
            "- Ana Ferreira won the Best Poster Prize at the European Materials Research Society.",
            "Ana Ferreira",
        ),
    ],
)
def test_addresses_offices_and_listed_people_are_answers(
    question: str, sentence: str, value: str
) -> None:
    assert [sentence[a:b] for a, b in answer_values(question, sentence)] == [value]


def test_a_mailbox_or_a_number_is_no_place() -> None:
    """Where an office is, is not its e-mail address nor its telephone number; the e-mail
    address asked of someone based somewhere still is one."""
    line = "Student Income Office — studentfees@castlebridge.ac.uk — 01632 961 150"
    assert answer_values("Where is the Student Income Office?", line) == []
    mailbox = "Children's librarian (Northfield): aisha.rahman@wrexford.example.gov.uk"
    values = answer_values(
        "What's the email address of the children's librarian based at Northfield?", mailbox
    )
    assert [mailbox[a:b] for a, b in values] == ["aisha.rahman@wrexford.example.gov.uk"]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Oliver Grant Centre Manager", ["Oliver Grant"]),
        ("Dr Gareth Llewellyn-Price Director of Studies", ["Dr Gareth Llewellyn-Price"]),
        ("Annual Report Editor", []),  # a heading names no one
        ("New Head Coach appointed", []),
        ("The planned closures at Harwick Leisure Centre", []),  # a place, not who did it
    ],
)
def test_a_name_ends_before_its_post(sentence: str, names: list[str]) -> None:
    if names and not names[0].startswith("Dr "):  # a table's cell before the post's
        row = f"{names[0]} | Chair (user representative)"
        assert [row[a:b] for a, b in person_spans(row)] == names[:1]
    values = answer_values("Who is in charge?", sentence)
    assert [sentence[a:b] for a, b in values] == names


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # the holder of a post, named after it or with it in brackets
        (
            "Who looks after the Fedora package?",
            "The Fedora packager is Camille Ortiz.",
            "Camille Ortiz",
        ),
        ("Who is the project lead?", "Revive's project lead is Carys Adeyemi.", "Carys Adeyemi"),
        (
            "Who do I speak to about a complaint?",
            "During your stay, speak to Helen Ashworth-Reid (Manager).",
            "Helen Ashworth-Reid",
        ),
        # a time of day written with am or pm joined on
        ("What time is breakfast on a Sunday?", "- Sunday: 8:00am – 9:45am", "8:00am"),
        ("What time does the centre shut?", "Open daily 8.30am to 5.30pm.", "8.30am"),
        # a time before an event, with a gloss between
        (
            "When do I have to pay the balance?",
            "The balance is due 6 weeks (42 days) before arrival.",
            "6 weeks (42 days) before",
        ),
        # an amount its record's field keys as a price
        (
            "How much does delivery to the Highlands cost before VAT?",
            "sku: DEL-HI; description: Delivery - Scottish Highlands; price_ex_vat_gbp: 120.00",
            "120.00",
        ),
    ],
)
def test_posts_holders_times_of_day_and_keyed_amounts_are_answers(
    question: str, sentence: str, value: str
) -> None:
    assert [sentence[a:b] for a, b in answer_values(question, sentence)][:1] == [value]


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Who runs the river trips?", "The river is Long Water Brook."),  # no post
        ("Who is the manufacturer?", "The manufacturer is Brackenfold Heat Pumps Ltd."),
        ("How much is the cost centre?", "cost_centre: 4410; owner: finance"),
    ],
)
def test_a_river_a_body_or_a_code_is_no_person_or_amount(question: str, sentence: str) -> None:
    found = [sentence[a:b] for a, b in answer_values(question, sentence)]
    assert found in ([], ["Brackenfold Heat Pumps Ltd"])  # a body may make a thing
    assert not person_spans(sentence)


@pytest.mark.parametrize(
    "sentence", ["- Sunday: 8:00am – 9:45am", "Open daily 8.30am to 5.30pm", "Doors at 7 pm"]
)
def test_a_time_of_day_with_am_or_pm_joined_on_tells_when(sentence: str) -> None:
    assert holds_type(sentence, "date", "What time is breakfast?")
    assert not holds_type("It cost 3.50 in total.", "date", "What time is breakfast?")


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # people counted by what they were there as
        (
            "How many people joined the online Contributor Day?",
            "Contributor Day was held online, with about 40 participants.",
            "about 40",
        ),
        # whom to call, named before the number to call them on
        (
            "Who should I call if one of the horses is ill?",
            "Please contact Ridgeway Farm & Equine Vets on 01869 341 200 (24-hour line).",
            "Ridgeway Farm & Equine Vets",
        ),
    ],
)
def test_people_counted_by_their_part_and_whom_to_call_are_answers(
    question: str, sentence: str, value: str
) -> None:
    assert [sentence[a:b] for a, b in answer_values(question, sentence)] == [value]
    assert answer_values("How many people joined?", "The hall has 40 chairs.") == []


def test_a_record_s_value_is_read_from_the_field_its_key_asks() -> None:
    """A spreadsheet's row read as fields: the field whose key shares the question's words holds
    the value asked ("winter_hours" for "in the winter months"); a staff list's bare "name"
    field and a "site_supervisor" field name people."""
    record = (
        "site_id: HRC-03; site_name: Milverton Recycling Centre; summer_hours (1 Apr - 30 Sep): "
        "8.30am to 5.30pm; winter_hours (1 Oct - 31 Mar): 8.30am to 3.30pm; "
        "site_supervisor: Priya Randhawa; phone: 01632 960 422"
    )
    found = answer_span(
        "What time does Milverton recycling centre shut in the winter months?", record
    )
    assert found is not None and record[found[0] : found[1]] == "3.30pm"
    found = answer_span("Who is the supervisor at Milverton?", record)
    assert found is not None and record[found[0] : found[1]] == "Priya Randhawa"
    staff = "name: Lewis Carrick; job_title: Branch Manager; base: Harbourside Branch Library"
    assert [staff[a:b] for a, b in answer_values("Who runs the Harbourside branch?", staff)] == [
        "Lewis Carrick"
    ]


@pytest.mark.parametrize(
    ("question", "sentence", "header", "value"),
    [
        # a count given under its key, not the year another figure is labelled with
        (
            "How many peer-reviewed journal papers did the group publish in 2023?",
            "- Peer-reviewed journal papers: 27 (2022: 21)",
            None,
            "27",
        ),
        (
            "How many ECTS is the research dissertation worth?",
            "code: ENV7099; title: Research Dissertation; credits: 60; ects: 30; semester: Summer",
            None,
            "30",
        ),
        # a header over the value columns alone, the rows' key column unnamed
        (
            "How much is the standard garden waste subscription for 2025/26?",
            "First bin – standard | £45.00 | £52.00",
            "2024/25 | 2025/26",
            "£52.00",
        ),
    ],
)
def test_counts_under_their_key_and_columns_of_a_header_without_a_key(
    question: str, sentence: str, header: str | None, value: str
) -> None:
    found = answer_span(question, sentence, header)
    assert found is not None and sentence[found[0] : found[1]] == value


def test_a_value_is_read_for_the_case_its_brackets_name() -> None:
    sentence = "Integrated electric backup heater: 3 kW (single-phase) or 6 kW (three-phase)"
    found = answer_span("How big is the backup heater in the three-phase AW12?", sentence)
    assert found is not None and sentence[found[0] : found[1]] == "6 kW"
    found = answer_span("How big is the backup heater?", sentence)  # no case asked: the first
    assert found is not None and sentence[found[0] : found[1]] == "3 kW"


def test_a_post_in_a_table_s_cell_is_not_who() -> None:
    row = (
        "Dr Sunita Valance | Head of Environmental Services | Overall service; Stage 2 "
        "complaint reviews"
    )
    values = answer_values("Who deals with Stage 2 reviews?", row)
    assert [row[a:b] for a, b in values] == ["Dr Sunita Valance"]


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("What time is the car park gate locked at night?", "23:00"),
        ("When does the gate open in the morning?", "07:00"),
    ],
)
def test_a_span_a_place_is_closed_for_starts_when_it_closes(question: str, value: str) -> None:
    sentence = "- The car park gate is closed from 23:00 to 07:00."
    found = answer_span(question, sentence)
    assert found is not None and sentence[found[0] : found[1]] == value


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("On what date was the water turned off for the winter in 2024?", "4 November 2024"),
        ("When was the water turned on in 2024?", "2 April 2024"),
    ],
)
def test_a_verb_s_particle_tells_columns_named_alike_apart(question: str, value: str) -> None:
    """ "Water on" and "Water off" share every stem (the particles are stopwords): "turned
    off" asks the second."""
    row = "2024 | 2 April 2024 | 4 November 2024"
    found = answer_span(question, row, "Season | Water on | Water off")
    assert found is not None and row[found[0] : found[1]] == value


def test_what_dates_are_not_answered_by_a_year_alone() -> None:
    assert answer_values("What dates is Abigail's Party running?", "Suburbia, 1977.") == []
    assert answer_values("When is Abigail's Party set?", "Suburbia, 1977.") != []


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # a size in space is told in its units, not by a count nor a price
        (
            "What size are the storage tanks?",
            "Four 1,000-litre IBC tanks collect rainwater from the shed roofs.",
            "1,000-litre",
        ),
        ("What size are the storage tanks?", "Tank hire | £8.00 | £9.25", None),
        # how many: the tanks, not how big each is
        (
            "How many storage tanks are there?",
            "Four 1,000-litre IBC tanks collect rainwater from the shed roofs.",
            "Four",
        ),
        # data's size as ever
        ("What is the default page size?", "The page size is 4096 bytes by default.", "4096"),
    ],
)
def test_a_size_is_told_in_units_of_space_or_data(
    question: str, sentence: str, value: str | None
) -> None:
    assert [sentence[a:b] for a, b in answer_values(question, sentence)] == (
        [value] if value else []
    )


def test_who_is_a_person_before_the_body_a_sentence_also_names() -> None:
    """ "Approved by" names the council and, in brackets, the person who approved: "who" asks
    the person, unless it asks a body."""
    sentence = "Approved by Harwick Borough Council (Claire Whitfield, Leisure Services Manager)."
    found = answer_span("Who signed off the pool safety rules?", sentence)
    assert found is not None and sentence[found[0] : found[1]] == "Claire Whitfield"
    found = answer_span("Which council approved the pool safety rules?", sentence)
    assert found is not None and sentence[found[0] : found[1]] == "Harwick Borough Council"


def test_a_rate_by_the_time_it_pays_for_is_money() -> None:
    assert asked_type_of("What is the hourly rate for a non-member booking the Shuttle room?") == (
        "money"
    )
    assert asked_type_of("A client wants a Senior Developer. What day rate do we quote?") == (
        "money"
    )
    assert asked_type_of("What day is the market held?") == "date"
    assert asked_type_of("What is the growth rate of trade?") == "quantity"
