#!/bin/sh
# Makes the files of eval/corpora/debian from the packages unpacked in x/ (x/<package>/...),
# run in the folder holding x/; writes them to out/. Needs pandoc, poppler-utils, img2pdf and a
# venv/ with openpyxl.
set -eu
X=x; O=out
rm -rf $O; mkdir -p $O
# copied as shipped
cp $X/debian-faq/usr/share/doc/debian/FAQ/support.en.html        $O/debian-faq-support.en.html
cp $X/maint-guide/usr/share/doc/maint-guide/html/dreq.en.html    $O/maint-guide-dreq.en.html
cp $X/sqlite3-doc/usr/share/doc/sqlite3/limits.html              $O/sqlite3-limits.html
cp $X/fontconfig/usr/share/doc/fontconfig/fontconfig-user.html   $O/fontconfig-user.html
cp $X/shared-mime-info/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf $O/shared-mime-info-spec.pdf
cp $X/libtasn1-doc/usr/share/doc/libtasn1-doc/libtasn1.pdf       $O/libtasn1.pdf
cp $X/shared-mime-info/usr/share/doc/shared-mime-info/README.md  $O/shared-mime-info-README.md
cp $X/bash-doc/usr/share/doc/bash/examples/shellmath/README.md   $O/bash-shellmath-README.md
cp $X/iso-codes/usr/share/doc/iso-codes/README.md.gz             $O/iso-codes-README.md.gz
cp $X/fontconfig-config/etc/fonts/conf.d/README                  $O/fontconfig-conf.d-README.txt
cp $X/developers-reference/usr/share/developers-reference/developers-reference.epub $O/developers-reference.epub
# converted with pandoc
pandoc -f html -t docx -o $O/maint-guide-update.docx $X/maint-guide/usr/share/doc/maint-guide/html/update.en.html
pandoc -f html -t markdown_strict --wrap=none -o uptodate.md $X/debian-faq/usr/share/doc/debian/FAQ/uptodate.en.html
pandoc -f markdown_strict -t pptx --slide-level=2 -o $O/debian-faq-uptodate.pptx uptodate.md
# tables from iso-codes' JSON
venv/bin/python tables.py $X/iso-codes/usr/share/iso-codes/json $O
# scanned: three pages of the Debian Reference rendered at 150 dpi grey, wrapped as images only
R=$X/debian-reference-en/usr/share/debian-reference/debian-reference.en.pdf
rm -rf scan; mkdir scan
for p in 29 31 33; do pdftoppm -r 150 -gray -f $p -l $p -png $R scan/ref-$p; done
img2pdf -o $O/debian-reference-scanned.pdf scan/ref-29-*.png scan/ref-31-*.png scan/ref-33-*.png
# mixed: maint-guide pages 50-51 with their text layer, pages 57-58 scanned
M=$X/maint-guide/usr/share/doc/maint-guide/maint-guide.en.pdf
pdfseparate -f 50 -l 51 $M scan/mg-%d.pdf
for p in 57 58; do pdftoppm -r 150 -gray -f $p -l $p -png $M scan/mgimg-$p; img2pdf -o scan/mg-$p.pdf scan/mgimg-$p-*.png; done
pdfunite scan/mg-50.pdf scan/mg-51.pdf scan/mg-57.pdf scan/mg-58.pdf $O/maint-guide-mixed.pdf
# email composed from fontconfig's README.Debian
python3 make_eml.py $X/fontconfig/usr/share/doc/fontconfig/README.Debian $O/fontconfig-readme-debian.eml
