"""The scan that finds the therapies sorting first by name without parsing the file: its
choice is the parser's, or there is none."""

from __future__ import annotations

import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from regen_compare.name_scan import first_by_name

HEAD = 'schema_version = 1\n\n[[condition]]\nid = "knee"\nname = "Knee"\n\n'


def therapy(ident: str, name: str, *, extra: str = "", sub: str = "") -> str:
    return (
        f'[[therapy]]\nid = "{ident}"\nname = "{name}"\ncategory = "traditional"\n{extra}'
        f"\n[therapy.price]\nmin = 10\nmax = 20\n{sub}\n"
    )


def file_of(*therapies: str, head: str = HEAD) -> str:
    return head + "".join(therapies)


def oracle(text: str, count: int) -> list[str]:
    """The first `count` ids by (case-folded name, id), from the parser."""
    entries = tomli.loads(text)["therapy"]
    ordered = sorted(entries, key=lambda t: (t["name"].casefold(), t["id"]))
    return [t["id"] for t in ordered[:count]]


def chosen_ids(text: str, count: int) -> list[str] | None:
    found = first_by_name(text, count)
    if found is None:
        return None
    return [tomli.loads(table)["therapy"][0]["id"] for table in found.tables]


def test_the_first_by_name_in_the_tables_order_with_their_whole_text() -> None:
    text = file_of(
        therapy("c", "Zeta"), therapy("a", "alpha", sub="[[therapy.sources]]\ntitle = 'x'\n"),
        therapy("b", "Alpha"), therapy("d", "beta"),
    )  # fmt: skip
    found = first_by_name(text, 3)
    assert found is not None
    assert found.total == 4
    assert found.head == HEAD
    assert chosen_ids(text, 3) == ["a", "b", "d"] == oracle(text, 3)  # casefold, then id
    assert "[[therapy.sources]]" in found.tables[0]  # the therapy's sub-tables come along
    assert chosen_ids(text, 10) == oracle(text, 10)


def test_windows_line_ends_and_comments_after_values_and_headers() -> None:
    text = file_of(
        therapy("b", "Beta").replace('name = "Beta"', 'name = "Beta"  # shown'),
        therapy("a", "Alpha").replace("[[therapy]]", "[[therapy]]  # first"),
    ).replace("\n", "\r\n")
    assert chosen_ids(text, 1) == ["a"] == oracle(text, 1)


PLAIN = st.text(
    st.characters(codec="utf-8", exclude_characters='"\\', exclude_categories=("Cc", "Cs")),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(st.tuples(PLAIN, st.sampled_from(["", "\\t", '\\"'])), min_size=1, max_size=8),
    count=st.integers(1, 5),
)
def test_the_choice_is_the_parsers_or_none(names: list[tuple[str, str]], count: int) -> None:
    text = file_of(*(therapy(f"t{i}", name + tail) for i, (name, tail) in enumerate(names)))
    chosen = chosen_ids(text, count)
    if any(tail for _, tail in names):
        assert chosen is None  # an escape: the scan cannot read that name for certain
    elif "'''" in text:
        assert chosen is None  # it reads no file that may hold a multi-line string
    else:
        assert chosen == oracle(text, count)


def test_a_multi_line_string_is_refused() -> None:
    """Inside one, a line may look like a header or a name; the parser says it is text."""
    hidden = 'summary = """\n[[therapy]]\nid = "fake"\nname = "AAA"\n"""'
    text = file_of(therapy("b", "Beta", extra=hidden), therapy("c", "Gamma"))
    assert oracle(text, 1) == ["b"]
    assert first_by_name(text, 1) is None
    literal = file_of(therapy("b", "Beta", extra="summary = '''\nx\n'''"))
    assert first_by_name(literal, 1) is None


def test_an_indented_header_is_refused() -> None:
    """TOML allows it; the scan reads only headers at the start of a line."""
    text = file_of(therapy("b", "Beta"), '  [[therapy]]\n  id = "a"\n  name = "Alpha"\n')
    assert oracle(text, 1) == ["a"]
    assert first_by_name(text, 1) is None
    first_line = '  [[therapy]]\n  id = "a"\n  name = "Alpha"\n' + therapy("b", "Beta")
    assert oracle(first_line, 1) == ["a"]
    assert first_by_name(first_line, 1) is None


def test_a_header_line_with_more_on_it_is_refused() -> None:
    text = file_of(
        therapy("a", "Alpha"), therapy("b", "Beta").replace("[[therapy]]", "[[therapy]]x")
    )
    assert first_by_name(text, 1) is None


def test_each_therapy_needs_one_plain_id_and_one_plain_name() -> None:
    assert first_by_name(file_of(therapy("a", "A"), therapy("b", "B")), 1) is not None
    literal = therapy("b", "B").replace('name = "B"', "name = 'B'")
    assert first_by_name(file_of(therapy("a", "A"), literal), 1) is None
    no_id = therapy("b", "B").replace('id = "b"\n', "")
    assert first_by_name(file_of(therapy("a", "A"), no_id), 1) is None
    # A second `name` line the plain-line pattern does not match (a number here): the
    # therapy's name is not known for certain.
    twice = therapy("b", "B", extra="name = 5")
    assert first_by_name(file_of(therapy("a", "A"), twice), 1) is None


def test_only_a_therapys_own_keys_name_it() -> None:
    """A sub-table may hold an `id` or a `name` (evidence by a condition whose id is `name`);
    the therapy's own, before its first sub-table, are the ones that count."""
    evidence = '[therapy.evidence_by_condition]\nname = "strong"\n'
    own = file_of(therapy("a", "Beta"), therapy("b", "Zed", sub=evidence))
    assert chosen_ids(own, 1) == ["a"] == oracle(own, 1)
    spelled = own.replace('name = "Zed"', 'name="Zed"')  # its own written another way
    assert oracle(spelled, 1) == ["a"]
    assert first_by_name(spelled, 1) is None
    aaa = spelled.replace('name = "strong"', 'name = "AAA"')
    assert first_by_name(aaa, 1) is None  # not "AAA" first: the sub-table's is not its name


def test_every_table_after_the_first_therapy_is_a_therapys_written_plainly() -> None:
    """`[[ therapy ]]` and `[["therapy"]]` are therapies too; the scan would see them as part
    of the therapy before."""
    hidden = '[["therapy"]]\nid="aaa"\nname="AAA hidden"\n'
    text = file_of(therapy("a", "Alpha"), hidden)
    assert oracle(text, 1) == ["aaa"]
    assert first_by_name(text, 1) is None
    spaced = file_of(therapy("a", "Alpha"), hidden.replace('[["therapy"]]', "[[ therapy ]]"))
    assert first_by_name(spaced, 1) is None
    before = file_of(hidden.replace('[["therapy"]]', "[[ therapy ]]"), therapy("a", "Alpha"))
    assert oracle(before, 1) == ["aaa"]
    assert first_by_name(before, 1) is None  # before the first plain one, too
    notes = file_of(therapy("a", "Alpha"), '[notes]\nreviewed = "2026"\n')
    assert first_by_name(notes, 1) is None
    sub = file_of(therapy("a", "Alpha"), therapy("b", "B", sub="[ therapy.units ]\nx = 1\n"))
    assert first_by_name(sub, 1) is None


def test_an_id_used_twice_gives_nothing() -> None:
    """The load refuses the file; a catalog of both would keep only one of them."""
    text = file_of(therapy("a", "Alpha"), therapy("a", "Beta"), therapy("c", "Gamma"))
    assert first_by_name(text, 1) is None


def test_nothing_to_choose() -> None:
    assert first_by_name(HEAD, 3) is None
    assert first_by_name(file_of(therapy("a", "A")), 0) is None
    found = first_by_name(therapy("a", "A"), 1)  # a header on the first line: no head
    assert found is not None and found.head == "" and found.total == 1


HEADERS = ["[[therapy]]", "[[therapy]]  # next", "[[ therapy ]]", '[["therapy"]]', "  [[therapy]]"]
KEYS = ['{k} = "{v}"', '{k}="{v}"', '"{k}" = "{v}"', '  {k} = "{v}"', "{k} = '{v}'"]


@st.composite
def spelled_files(draw: st.DrawFn) -> str:
    """Valid or not, in the many ways TOML allows a therapy to be written."""
    parts = [HEAD]
    for n in range(draw(st.integers(1, 6))):
        header = draw(st.sampled_from(HEADERS))
        ident = draw(st.sampled_from(["a", "b", "c", "d", "e", "f"]))
        name = draw(st.sampled_from(["Alpha", "alpha", "Beta", "beta", "Zed", "AAA"]))
        lines = [header, draw(st.sampled_from(KEYS)).format(k="id", v=ident)]
        lines.append(draw(st.sampled_from(KEYS)).format(k="name", v=name))
        lines.append(f"category = 'c{n}'")
        if draw(st.booleans()):  # a sub-table with keys of the same names
            lines += ["[therapy.evidence_by_condition]", 'name = "AAA"', 'id = "a"']
        parts.append("\n".join(lines) + "\n\n")
    if draw(st.booleans()):
        parts.append('[notes]\nname = "AAA"\n')
    text = "".join(parts)
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(max_examples=400, deadline=None)
@given(text=spelled_files(), count=st.integers(1, 4))
def test_however_a_file_is_spelled_the_choice_is_the_parsers_or_none(text: str, count: int) -> None:
    try:
        entries = tomli.loads(text).get("therapy", [])
    except tomli.TOMLDecodeError:
        return  # not TOML: the full load reports it, whatever the scan chose
    chosen = chosen_ids(text, count)
    if chosen is None:
        return
    ids = [t["id"] for t in entries]
    assert len(set(ids)) == len(ids), "an id used twice must give nothing"
    assert chosen == oracle(text, count)
    found = first_by_name(text, count)
    assert found is not None and found.total == len(entries)
