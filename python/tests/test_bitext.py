"""The Python package against the CLI: same sentences, beads, confidences and outputs.

The CLI is the binary cargo builds (``target/debug/bitext`` after ``cargo test``), or the
one ``BITEXT_CLI`` names; when neither exists the comparisons are skipped, unless
``BITEXT_CLI`` is set (as ``.ci/run`` sets it), in which case they fail.
"""

import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

import bitext

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
GOLD = ROOT / "alignments" / "seeds"
PT = SEEDS / "003.pt.txt"
ID = SEEDS / "004.id.txt"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cli() -> Path:
    given = os.environ.get("BITEXT_CLI")
    path = Path(given) if given else ROOT / "target" / "debug" / "bitext"
    if not path.is_file():
        if given:
            pytest.fail(f"BITEXT_CLI={given} does not exist")
        pytest.skip(f"no CLI at {path}: run `cargo build` first")
    return path


def run(cli: Path, *args: str, expect: int = 0) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(cli), *map(str, args)], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == expect, done.stderr
    return done


def cli_error(cli: Path, *args: str) -> str:
    """The message the CLI prints for a usage error, without its `bitext: ` prefix."""
    stderr = run(cli, *args, expect=2).stderr.strip()
    assert stderr.startswith("bitext: "), stderr
    return stderr[len("bitext: ") :]


# --- the seed PT-ID pair gives what the CLI gives ---------------------------------------


@pytest.fixture(scope="module")
def seed_alignment() -> bitext.Alignment:
    return bitext.Aligner().align(read(PT), read(ID))


@pytest.mark.parametrize("fmt", ["tsv", "beads", "jsonl", "tmx"])
def test_seed_pair_writes_what_the_cli_writes(cli, seed_alignment, fmt):
    expected = run(cli, "align", PT, ID, "--format", fmt).stdout
    written = getattr(seed_alignment, f"to_{fmt}")()
    assert written == expected


def test_seed_pair_beads_and_confidences_equal_the_cli(cli, seed_alignment):
    records = [json.loads(line) for line in run(cli, "align", PT, ID, "--format", "jsonl", "--include-unaligned").stdout.splitlines()]
    assert len(records) == len(seed_alignment) > 10
    for record, bead in zip(records, seed_alignment):
        assert (bead.src, bead.tgt) == (record["src"], record["tgt"])
        # The CLI rounds to 4 decimals; the bead has the full value.
        assert round(bead.confidence, 4) == pytest.approx(record["confidence"], abs=1e-12)
        assert (bead.src_text, bead.tgt_text) == (record["src_text"], record["tgt_text"])
        assert bead.evidence == pytest.approx(record["evidence"])
    assert seed_alignment.src_lang == "pt" and seed_alignment.tgt_lang == "id"


def test_writer_options_match_the_cli_flags(cli, seed_alignment):
    # A threshold between the seed's confidences, so that it leaves some pairs out.
    confidences = sorted(b.confidence for b in seed_alignment)
    t = round(confidences[len(confidences) // 2], 4)
    expected = run(cli, "align", PT, ID, "--min-confidence", t, "--header", "--include-unaligned").stdout
    assert seed_alignment.to_tsv(min_confidence=t, header=True, include_unaligned=True) == expected
    strict = bitext.Aligner(min_confidence=t).align(read(PT), read(ID))
    for fmt in ["tsv", "jsonl", "tmx"]:
        expected = run(cli, "align", PT, ID, "--min-confidence", t, "--format", fmt).stdout
        assert getattr(strict, f"to_{fmt}")() == expected
    assert all(c >= t for _, _, c in strict.pairs())
    assert 0 < len(strict.pairs()) < len(strict.pairs(min_confidence=0.0))


def test_restricted_bead_types_match_the_cli(cli):
    aligner = bitext.Aligner(bead_types="1-1,1-0,0-1")
    beads = aligner.align(read(PT), read(ID)).to_beads()
    assert beads == run(cli, "align", PT, ID, "--format", "beads", "--bead-types", "1-1,1-0,0-1").stdout
    as_tuples = bitext.Aligner(bead_types=[(1, 1), (1, 0), (0, 1)])
    assert as_tuples.align(read(PT), read(ID)).to_beads() == beads


def test_pairs_and_sequence_protocol(seed_alignment):
    pairs = seed_alignment.pairs()
    assert pairs == [(b.src_text, b.tgt_text, b.confidence) for b in seed_alignment if b.src and b.tgt]
    assert seed_alignment[-1].src == list(seed_alignment)[-1].src
    with pytest.raises(IndexError):
        seed_alignment[len(seed_alignment)]
    covered = sorted(i for b in seed_alignment for i in b.src)
    assert covered == list(range(len(seed_alignment.src_sentences)))


# --- lists of sentences (the CLI's --presegmented) --------------------------------------


def test_lists_align_as_presegmented_files(cli, tmp_path):
    src = [s.text.replace("\n", " ") for s in bitext.segment(read(PT), "pt")]
    tgt = [s.text.replace("\n", " ") for s in bitext.segment(read(ID), "id")]
    (tmp_path / "src.txt").write_text("\n".join(src) + "\n", encoding="utf-8")
    (tmp_path / "tgt.txt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    aligner = bitext.Aligner()
    from_lists = aligner.align(src, tgt)
    for fmt in ["beads", "jsonl"]:
        expected = run(cli, "align", tmp_path / "src.txt", tmp_path / "tgt.txt", "--presegmented", "--format", fmt).stdout
        assert getattr(from_lists, f"to_{fmt}")() == expected
    assert from_lists.src_sentences == src
    assert (from_lists.src_lang, from_lists.tgt_lang) == ("pt", "id")


def test_a_list_item_is_one_sentence_even_with_a_line_break():
    alignment = bitext.Aligner().align(["One.", "", "Two\nlines."], ["Un.", "Deux lignes."], "en", "fr")
    assert alignment.src_sentences == ["One.", "", "Two\nlines."]
    assert sorted(i for b in alignment for i in b.src) == [0, 1, 2]


def test_str_and_list_sides_mix():
    alignment = bitext.Aligner().align("Hello world. See you soon.", ["Bonjour le monde.", "À bientôt."])
    assert [(b.src, b.tgt) for b in alignment] == [([0], [0]), ([1], [1])]


def test_the_readme_example_runs(capsys, monkeypatch):
    readme = read(ROOT / "README.md")
    section = readme[readme.index("## Python\n") :]
    code = section[section.index("```python\n") + len("```python\n") : section.index("```\n", section.index("```python"))]
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 10
    assert all(float(line.split("\t")[0]) >= 0.5 for line in lines)


# --- segmentation ---------------------------------------------------------------------


def test_segment_gives_the_cli_sentences(cli):
    text = read(PT)
    records = [json.loads(line) for line in run(cli, "segment", PT, "--format", "jsonl").stdout.splitlines()]
    sentences = bitext.segment(text)
    assert len(sentences) == len(records) > 10
    for s, r in zip(sentences, records):
        assert s.text == r["text"]
        assert s.paragraph == r["paragraph"]
        # The CLI counts bytes, Python characters.
        assert len(text[: s.start].encode()) == r["start"]
        assert len(text[: s.end].encode()) == r["end"]


def test_offsets_count_characters_on_non_ascii_text():
    text = "Olá, 🌍 mundo! Você está aí?\n\nこれは文です。次の文。 Ça va ? Très bien."
    sentences = bitext.segment(text, "pt")
    assert len(sentences) >= 3
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert sentences[0].text == "Olá, 🌍 mundo!"
    assert sentences[1].start == len("Olá, 🌍 mundo! ")
    assert sentences[-1].end == len(text)
    assert sentences[-1].paragraph == 1
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)


# --- align_many -----------------------------------------------------------------------


def seed_pairs(count: int) -> list:
    """Pairs of different lengths: the seed documents cut after k paragraphs."""
    pt, id_ = read(PT).split("\n\n"), read(ID).split("\n\n")
    n = min(len(pt), len(id_))
    return [("\n\n".join(pt[: 1 + k % n]), "\n\n".join(id_[: 1 + k % n])) for k in range(count)][::-1]


def test_align_many_keeps_input_order_and_equals_align():
    aligner = bitext.Aligner()
    pairs = seed_pairs(8)
    many = [a.to_beads() for a in aligner.align_many(pairs, jobs=2)]
    one_by_one = [aligner.align(src, tgt).to_beads() for src, tgt in pairs]
    assert many == one_by_one
    assert len(set(many)) > 1
    assert [a.to_beads() for a in aligner.align_many(pairs, jobs=1)] == many


def test_align_many_caps_jobs_as_the_cli_does():
    with pytest.warns(UserWarning, match="using"):
        results = list(bitext.Aligner().align_many([("Um. Dois.", "Satu. Dua.")], jobs=100_000))
    assert len(results) == 1


def test_align_many_takes_languages_per_pair():
    (result,) = bitext.Aligner().align_many([("Um. Dois.", "Satu. Dua.", "pt", "id")])
    assert (result.src_lang, result.tgt_lang) == ("pt", "id")


BIG = 20  # copies of the seed documents: an alignment of about a second (50 would take
# the fast path for long documents)


def big_pair() -> tuple:
    return "\n\n".join([read(PT)] * BIG), "\n\n".join([read(ID)] * BIG)


def python_ran_during(call) -> tuple:
    """Runs `call()` while another Python thread notes the time over and over; returns the
    result and how many notes fall well inside the call. While a call holds the GIL no
    other Python thread runs, so the notes can only come from just before or just after
    it, within one switch interval (5 ms): none falls in its middle."""
    notes, stop = [], threading.Event()

    def note():
        while not stop.is_set():
            notes.append(time.monotonic())

    thread = threading.Thread(target=note, daemon=True)
    thread.start()
    while not notes:
        pass
    try:
        start = time.monotonic()
        result = call()
        end = time.monotonic()
    finally:
        stop.set()
        thread.join()
    margin = 0.05
    assert end - start > 4 * margin, "the call was too short to tell"
    return result, sum(start + margin < t < end - margin for t in notes)


def test_align_many_releases_the_gil():
    # One long pair: the iterator's first step waits for it inside Rust.
    it = bitext.Aligner().align_many([big_pair()], jobs=2)
    alignment, notes = python_ran_during(lambda: next(it))
    assert len(alignment) > 200
    assert notes > 100, f"another thread ran only {notes} times while align_many worked"


# --- progress -------------------------------------------------------------------------


def assert_progress(calls: list, total: int) -> None:
    """The calls count up to `total` without going back, all of the same total."""
    assert calls, "progress was never called"
    dones = [done for done, _ in calls]
    assert dones == sorted(dones), dones
    assert {t for _, t in calls} == {total}
    assert calls[-1] == (total, total)


def test_align_reports_progress_in_sentences():
    # Long enough (about 5,000 sentences a side) for reports within each pass.
    sentences = [s.text for s in bitext.segment(read(PT), lang="pt")]
    src = sentences * (5000 // len(sentences) + 1)
    tgt = [s.text for s in bitext.segment(read(ID), lang="id")]
    tgt = tgt * (len(src) // len(tgt) + 1)
    calls = []
    alignment = bitext.Aligner().align(src, tgt, progress=lambda d, t: calls.append((d, t)))
    assert_progress(calls, len(src) + len(tgt))
    assert len(calls) > 4, calls
    assert len(alignment) > 0


def test_align_many_reports_progress_over_every_pair():
    pairs = seed_pairs(8)
    total = sum(len(bitext.segment(s)) + len(bitext.segment(t)) for s, t in pairs)
    calls = []
    results = list(bitext.Aligner().align_many(pairs, jobs=2, progress=lambda d, t: calls.append((d, t))))
    assert len(results) == 8
    assert_progress(calls, total)


def test_an_exception_in_progress_is_raised_by_align_and_align_many():
    def fail(done: int, total: int) -> None:
        raise KeyError("from the callback")

    calls = []

    def fail_once(done: int, total: int) -> None:
        calls.append(done)
        raise KeyError("from the callback")

    aligner = bitext.Aligner()
    with pytest.raises(KeyError, match="from the callback"):
        aligner.align(read(PT), read(ID), progress=fail_once)
    assert len(calls) == 1, "the calls end with the first exception"
    with pytest.raises(KeyError, match="from the callback"):
        list(aligner.align_many(seed_pairs(4), jobs=2, progress=fail))


def test_align_releases_the_gil():
    aligner = bitext.Aligner()
    _, notes = python_ran_during(lambda: aligner.align(*big_pair()))
    assert notes > 100, f"another thread ran only {notes} times while align worked"


def test_the_gil_check_tells_a_call_that_holds_it():
    # sum over a range runs in C and holds the GIL throughout: the check above must see no
    # note in it. The range grows until one sum lasts 0.3 s, and the check sums twice that,
    # so the call is long enough to tell on a machine of any speed.
    count = 1_000_000
    while True:
        start = time.monotonic()
        sum(range(count))
        if time.monotonic() - start >= 0.3:
            break
        count *= 2
    count *= 2
    _, notes = python_ran_during(lambda: sum(range(count)))
    assert notes == 0


# --- evaluation -----------------------------------------------------------------------


def test_evaluate_equals_bitext_eval(cli, tmp_path):
    src, tgt, gold = GOLD / "003.pt.sent", GOLD / "004.id.sent", GOLD / "003-004.pt-id.gold"
    test_file = tmp_path / "test.beads"
    test_file.write_text(run(cli, "align", src, tgt, "--presegmented", "--format", "beads").stdout, encoding="utf-8")
    expected = json.loads(run(cli, "eval", gold, test_file, "--json").stdout)["total"]
    lines = lambda p: [line for line in read(p).splitlines() if line.strip()]
    alignment = bitext.Aligner().align(lines(src), lines(tgt))
    assert bitext.evaluate(read(gold), alignment) == pytest.approx(expected)
    assert bitext.evaluate(read(gold), alignment.to_beads()) == pytest.approx(expected)


def test_evaluate_lists():
    gold = [([0], [0]), ([1, 2], [1]), ([3], [])]
    scores = bitext.evaluate(gold, gold)
    assert scores["f1_strict"] == scores["f1_lax"] == 1.0
    half = bitext.evaluate(gold, [([0], [0]), ([1], [1]), ([2], []), ([3], [])])
    assert half["precision_strict"] == pytest.approx(0.5)
    assert half["precision_lax"] == pytest.approx(0.75)
    assert half["recall_strict"] == pytest.approx(0.5)
    assert half["recall_lax"] == pytest.approx(1.0)


# --- errors ---------------------------------------------------------------------------


def test_bad_language_code_raises_the_cli_message(cli):
    with pytest.raises(ValueError) as err:
        bitext.Aligner().align("a", "b", src_lang="english!")
    assert str(err.value) == cli_error(cli, "align", PT, ID, "--src-lang", "english!")
    with pytest.raises(ValueError):
        bitext.segment("a", lang="english!")


@pytest.mark.parametrize("types", ["1-x", "1-1,0-0", "1-0,0-1", "1-1,5-1"])
def test_bad_bead_types_raise_the_cli_message(cli, types):
    with pytest.raises(ValueError) as err:
        bitext.Aligner(bead_types=types)
    assert str(err.value) == cli_error(cli, "align", PT, ID, "--bead-types", types)


def test_uncoverable_bead_types_raise():
    with pytest.raises(ValueError, match="no alignment with bead types 1-1 covers the 2 source and 1 target"):
        bitext.Aligner(bead_types="1-1").align(["a.", "b."], ["c."])


def test_other_bad_input_raises():
    with pytest.raises(ValueError, match=r"min_confidence must lie in \[0, 1\]"):
        bitext.Aligner(min_confidence=1.5)
    with pytest.raises(ValueError, match="bad mode"):
        bitext.Aligner(mode="sideways")
    with pytest.raises(ValueError, match="temperature must be positive"):
        bitext.Aligner(temperature=0.0)
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        bitext.Aligner().align_many([("a", "b")], jobs=0)
    with pytest.raises(TypeError):
        bitext.Aligner().align(3, "b")
    with pytest.raises(ValueError, match=r"^gold:2: bad source indices"):
        bitext.evaluate("[0]:[0]\n[x]:[1]\n", "[0]:[0]")
    with pytest.raises(ValueError, match="no beads"):
        bitext.evaluate("", "[0]:[0]")
    with pytest.raises(FileNotFoundError, match="no/such/lexicon"):
        bitext.Aligner(lexicon="no/such/lexicon")


def test_a_table_of_an_earlier_format_warns_and_a_later_one_raises(cli, tmp_path):
    table = tmp_path / "pt-id.lex"
    run(cli, "align", PT, ID, "--lexicon-out", table, "-o", tmp_path / "out.tsv")
    first, rows = read(table).split("\n", 1)
    assert "format 2" in first
    earlier = tmp_path / "earlier.lex"
    earlier.write_text("# bitext lexicon: target key, source key, strength\n" + rows, encoding="utf-8")
    with pytest.warns(UserWarning, match="earlier bitext") as caught:
        bitext.Aligner(mode="comparable", lexicon=earlier)
    cli_warning = run(cli, "align", "--mode", "comparable", "--lexicon", earlier, PT, ID).stderr
    assert "earlier bitext" in cli_warning and str(earlier) in cli_warning
    assert str(earlier) in str(caught[0].message)
    later = tmp_path / "later.lex"
    later.write_text(read(table).replace("format 2", "format 3", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="later bitext") as err:
        bitext.Aligner(lexicon=later)
    assert str(err.value) == cli_error(cli, "align", "--lexicon", later, PT, ID)


def test_an_error_in_align_many_comes_at_its_pair():
    aligner = bitext.Aligner(bead_types="1-1")
    it = aligner.align_many([(["a."], ["b."]), (["a.", "b."], ["c."]), (["d."], ["e."])])
    assert len(next(it)) == 1
    with pytest.raises(ValueError, match="no alignment with bead types"):
        next(it)
