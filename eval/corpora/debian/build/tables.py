"""iso-codes JSON -> iso-4217-currencies.xlsx (openpyxl) and iso-3166-1-countries.csv (csv)."""

import csv
import json
import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

src, out = Path(sys.argv[1]), Path(sys.argv[2])
cur = json.loads((src / "iso_4217.json").read_text())["4217"]
wb = Workbook()
ws = wb.active
ws.title = "ISO 4217 currencies"
ws.append(["alpha_3", "numeric", "name"])
for c in cur:
    ws.append([c["alpha_3"], c["numeric"], c["name"]])
wb.properties.title = "ISO 4217 currency codes (iso-codes 4.15.0)"
wb.properties.creator = "iso-codes"
wb.properties.created = wb.properties.modified = datetime(2023, 1, 1)
wb.save(out / "iso-4217-currencies.xlsx")
countries = json.loads((src / "iso_3166-1.json").read_text())["3166-1"]
with open(out / "iso-3166-1-countries.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["alpha_2", "alpha_3", "numeric", "name", "official_name", "common_name"])
    for c in countries:
        w.writerow(
            [
                c["alpha_2"],
                c["alpha_3"],
                c["numeric"],
                c["name"],
                c.get("official_name", ""),
                c.get("common_name", ""),
            ]
        )
