"""A message composed from fontconfig's README.Debian (the body is the file's text, unchanged)."""

import sys
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

msg = EmailMessage()
msg["From"] = "fontconfig README.Debian <readme@example.org>"
msg["To"] = "new-users@example.org"
msg["Subject"] = "How fonts are handled in Debian (fontconfig 2.14.1-4 README.Debian)"
msg["Date"] = format_datetime(datetime(2023, 1, 5, 12, 0, tzinfo=UTC))
msg["Message-ID"] = "<fontconfig-readme-debian@example.org>"
msg.set_content(Path(sys.argv[1]).read_text(encoding="utf-8"))
Path(sys.argv[2]).write_bytes(bytes(msg))
