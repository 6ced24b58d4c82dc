"""OCR of the whole corpus: each plan drawn on image-only pages, OCR'd, parsed, compared with its text.

Run:  .venv/bin/python benchmarks/ocr.py                      # every plan, clean and scanned variants
      .venv/bin/python benchmarks/ocr.py --variants clean --only 146
      .venv/bin/python benchmarks/ocr.py --src ../shared/realdocs --only bac-ninh,ha-noi --out /tmp/real.json
                                                                # real plans the rules were not made on
                                                                # (write --out outside the project)

For each corpus plan (data/raw/*) and variant, tests/_scans.py draws the plan's printed
paragraphs on A4 pages at 300 dpi (``clean``), or the same pages rotated by 0.6° and
speckled with salt-and-pepper noise (``scanned``), writes an image-only PDF, and
plancompare reads it with ``--ocr auto`` (Tesseract, vie). Reported per plan:

* character accuracy: 1 - Levenshtein distance / reference length, between the lines
  drawn and the lines OCR'd (whitespace collapsed), over the whole plan;
* task agreement: the body tasks parsed from the OCR'd PDF against those parsed from the
  corpus text file, task by task (same path and same text after normalisation:
  case folded, everything but letters and digits removed); a plan *agrees* when every
  task does. Also counted with diacritics folded as well, since Tesseract's usual error
  here is one tone mark ('tầng' read 'tâng'), which the character accuracy shows. Appendix tasks come from tables, which the printed pages show as plain
  text (table structure is not recovered from images), so they are left out;
* word errors (words drawn and read differently, aligned with difflib) before and
  after the correction: how many it fixed and which ones it made;
* the same two figures before and after the post-OCR word correction
  (parse/ocr_correct.py: tone marks from context, 'l' before a capital as 'I'; the
  plan parsed again from the cache with ``correct_words=False`` gives "before"), and
  the number of words it changed;
* OCR seconds per page, total for the plan, and the time to read the plan again from
  the OCR cache against the OCR's own wall time (the cache speed-up).

Last, the correction is run on the corpus texts themselves (correct text, every word
reconsidered as if Tesseract had doubted it: no confidence gate), and the words it
would change there are counted, with and without the wordfreq veto: the false
corrections it could make at worst. With the gate, the false corrections are the word
errors the correction made on the scans (above).

Prints a markdown table; writes benchmarks/out/ocr.json (after every plan).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from _scans import degrade, plan_paragraphs, render_pages, write_pdf  # noqa: E402


def norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def fold(text: str) -> str:
    """``norm`` without diacritics: 'tầng' and 'tâng' (a misread tone mark) compare equal."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text.replace("đ", "d")) if not unicodedata.combining(c))


def body(doc) -> list[tuple[str, str]]:
    return [(t.path, norm(t.text)) for t in doc.tasks if t.source == "body"]


def word_errors(ref: str, hyp: str) -> set[tuple[int, tuple[str, ...], tuple[str, ...]]]:
    """The words drawn and read differently: (position drawn, words drawn, words read), aligned with difflib."""
    import difflib

    r, h = ref.split(), hyp.split()
    ops = difflib.SequenceMatcher(None, r, h, autojunk=False).get_opcodes()
    return {(a0, tuple(r[a0:a1]), tuple(h[b0:b1])) for op, a0, a1, b0, b1 in ops if op != "equal"}


def char_accuracy(ref: str, hyp: str) -> float:
    from rapidfuzz.distance import Levenshtein

    r, h = " ".join(ref.split()), " ".join(hyp.split())
    return 1 - Levenshtein.distance(r, h) / max(len(r), 1)


def run(plan: Path, variant: str, work: Path, dpi: int) -> dict:
    from plancompare.parse import parse_file
    from plancompare.parse.ocr import ocr_file, result_text, use_ocr

    pages, drawn = render_pages(plan_paragraphs(plan), dpi=dpi)
    if variant == "scanned":
        pages = [degrade(p, skew=0.6, noise=0.004, seed=i) for i, p in enumerate(pages)]
    pdf = work / f"{plan.stem}.{variant}.{dpi}.pdf"
    if not pdf.exists():  # kept between runs with its OCR cache: a rerun after a parser change OCRs nothing
        write_pdf(pages, pdf, dpi)
    cache = work / "cache"
    with use_ocr(cache_dir=str(cache), dpi=dpi):
        t0 = time.perf_counter()
        doc = parse_file(pdf)
        first = time.perf_counter() - t0
        ocr_seconds = ocr_file(pdf).seconds  # the time the OCR took when it ran (kept in the cache)
        t0 = time.perf_counter()
        again = parse_file(pdf)
        second = time.perf_counter() - t0
        result = ocr_file(pdf)
        with use_ocr(correct_words=False):
            uncorrected = parse_file(pdf)
    assert result.cached and body(again) == body(doc)
    ref = "\n".join(line for page in drawn for line in page)
    page_number = re.compile(r"\d{1,3}")  # drawn text has no page numbers
    hyp_before = "\n".join(line for p in result.pages for line in p.lines if not page_number.fullmatch(line))
    hyp_after = "\n".join(line for line in result_text(result)[0].splitlines() if not page_number.fullmatch(line))
    errors_before, errors_after = word_errors(ref, hyp_before), word_errors(ref, hyp_after)
    text_doc = parse_file(plan)
    want = body(text_doc)
    before, after = agreement(want, body(uncorrected)), agreement(want, body(doc))
    secs = [p.seconds for p in result.pages]
    return {
        "plan": plan.name,
        "variant": variant,
        "pages": len(pages),
        "char_accuracy_before": round(char_accuracy(ref, hyp_before), 5),
        "char_accuracy": round(char_accuracy(ref, hyp_after), 5),
        "mean_confidence": result.mean_confidence,
        "words_corrected": sum(1 for p in doc.problems if p.code == "ocr_word_corrected"),
        "word_errors_before": len(errors_before),
        "word_errors_after": len(errors_after),
        "errors_fixed": len(errors_before - errors_after),
        "errors_introduced": sorted(f"{' '.join(a)} -> {' '.join(b)}" for _, a, b in errors_after - errors_before),
        "text_tasks": len(want),
        "ocr_tasks": len(body(doc)),
        "tasks_equal_before": before["equal"],
        "agrees_before": before["agrees"],
        "tasks_equal_folded_before": before["folded"],
        "tasks_equal": after["equal"],
        "agrees": after["agrees"],
        "tasks_equal_folded": after["folded"],
        "agrees_folded": after["agrees_folded"],
        "low_confidence_lines": sum(1 for p in doc.problems if p.code == "ocr_low_confidence"),
        "ocr_seconds": round(sum(secs), 1),
        "seconds_per_page": round(sum(secs) / max(len(secs), 1), 2),
        "ocr_wall_seconds": ocr_seconds,
        "parse_seconds_first": round(first, 2),
        "parse_seconds_cached": round(second, 3),
        "cache_speedup": round(ocr_seconds / second, 1) if second else None,
        "mismatches": [{"text": a, "ocr": b} for a, b in zip(want, body(doc)) if a != b][:5],
    }


def agreement(want: list[tuple[str, str]], got: list[tuple[str, str]]) -> dict:
    """Tasks equal (path and normalised text), equal but tone marks, and whether the whole plan agrees."""
    same = sum(1 for a, b in zip(want, got) if a == b)
    folded = sum(1 for a, b in zip(want, got) if a[0] == b[0] and fold(a[1]) == fold(b[1]))
    return {"equal": same, "agrees": want == got, "folded": folded, "agrees_folded": len(want) == len(got) and folded == len(want)}


def clean_text_changes(plans: list[Path]) -> dict:
    """The corrector on correct text (the corpus plans' printed paragraphs), every word reconsidered."""
    from plancompare.parse.ocr_correct import correct_lines, document_pairs, fix_l_for_i, load_lexicon

    lex = load_lexicon()
    words, changes, without_veto, without_pairs = 0, [], 0, 0
    for plan in plans:
        paras = plan_paragraphs(plan)
        words += sum(len(p.split()) for p in paras)
        fixed, letter_changes = fix_l_for_i(paras)
        evidence = document_pairs([(fixed, None)], None)  # the plan's own pairs, every word counted (a word's own pairs left out)
        changes += [(plan.name, c) for c in letter_changes]
        changes += [(plan.name, c) for c in correct_lines(fixed, None, lex, evidence=evidence)[1]]
        without_veto += len(letter_changes) + len(correct_lines(fixed, None, lex, min_ratio=0, evidence=evidence)[1])
        without_pairs += len(letter_changes) + len(correct_lines(fixed, None, lex)[1])
    return {"words": words, "changed": len(changes), "changed_without_frequency_veto": without_veto, "changed_without_document_pairs": without_pairs, "examples": [f"{name}: {c[2]} -> {c[3]} ({c[5]})" for name, c in changes[:10]]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", default="clean,scanned")
    ap.add_argument("--only", default=None, help="only plans whose file name contains one of these (comma-separated)")
    ap.add_argument("--src", type=Path, default=ROOT / "data" / "raw", help="the folder of plans to print and read (default data/raw; e.g. ../shared/realdocs for plans the rules were not made on)")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "ocr.json")
    ap.add_argument("--work", type=Path, default=None, help="keep the scans and the OCR cache here (e.g. benchmarks/out/ocr/); a rerun then only parses")
    args = ap.parse_args()
    plans = sorted((p for p in args.src.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".docx") and p.name.lower() != "readme.md" and (not args.only or any(o in p.name for o in args.only.split(",")))), key=lambda p: p.stat().st_size)
    rows: list[dict] = []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="plancompare-ocr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for variant in args.variants.split(","):
        for plan in plans:
            row = run(plan, variant, work, args.dpi)
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "mismatches"}, ensure_ascii=False), file=sys.stderr, flush=True)
            args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("| plan | variant | pages | char accuracy: OCR → corrected | words corrected | mean conf. | body tasks: text / OCR | equal: OCR → corrected | equal but tone marks | s/page | OCR total s | cache speed-up |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['plan']} | {r['variant']} | {r['pages']} | {r['char_accuracy_before']:.2%} → {r['char_accuracy']:.2%} | {r['words_corrected']} | {r['mean_confidence']} "
            f"| {r['text_tasks']} / {r['ocr_tasks']} | {r['tasks_equal_before']} → {r['tasks_equal']} | {r['tasks_equal_folded']} | {r['seconds_per_page']} | {r['ocr_seconds']} | {r['cache_speedup']}× |"
        )
    for variant in args.variants.split(","):
        vr = [r for r in rows if r["variant"] == variant]
        if vr:
            longest = max(vr, key=lambda r: r["pages"])
            print(
                f"\n{variant}: {sum(r['agrees'] for r in vr)} of {len(vr)} plans agree task by task exactly after correction "
                f"({sum(r['agrees_before'] for r in vr)} as OCR'd), {sum(r['agrees_folded'] for r in vr)} apart from tone marks; "
                f"longest plan {longest['plan']} ({longest['pages']} pages): OCR {longest['ocr_seconds']} s, parse {longest['ocr_wall_seconds']} s uncached vs {longest['parse_seconds_cached']} s cached"
            )
    print(f"\nword errors over all scans: {sum(r['word_errors_before'] for r in rows)} as OCR'd, {sum(r['word_errors_after'] for r in rows)} after correction ({sum(r['errors_fixed'] for r in rows)} fixed; made: " + "; ".join(e for r in rows for e in r["errors_introduced"]) + ")")
    clean = clean_text_changes(plans)
    print(f"\ncorrector on the corpus texts (correct text, no confidence gate): {clean['changed']} of {clean['words']} words would change ({clean['changed'] / max(clean['words'], 1):.2%}; {clean['changed_without_frequency_veto']} without the wordfreq veto, {clean['changed_without_document_pairs']} without the document's pairs); e.g. " + "; ".join(clean["examples"][:5]))
    print(f"with the confidence gate (the scans: words read right, below the gate, then changed): {sum(len(r['errors_introduced']) for r in rows)} over {len(rows)} scans")
    args.out.write_text(json.dumps({"plans": rows, "clean_text": clean}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
