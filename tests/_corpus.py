from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"

FILES = {
    "146": "dak-lak_146-KH-UBND_2025-06-25.txt",
    "283": "dak-lak_283-KH-TU_2025-05-22.txt",
    "tanlap": "dak-lak_tan-lap_KH-UBND_2025.txt",
    "tn": "thai-nguyen_25-KH-UBND_2025-01-24.txt",
    "hd": "hai-duong_CTr-TU_2025.txt",
    "57": "central_57-NQ-TW_2024-12-22.md",
    "03": "central_03-NQ-CP_2025-01-09.md",
}
