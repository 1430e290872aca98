#!/usr/bin/env python3
"""Files over 600 lines and functions over 80 lines in src/ (issue #17's size rule).

  scripts/sizes.py                 # every folder of src/
  scripts/sizes.py src/sim src/load
  scripts/sizes.py --all src/sim   # every function, longest first

A long function may stay whole when a comment right above it says why, starting "Kept whole:";
it is then listed as kept, not as over. Exit 1 when anything is over without a reason.

Functions are found by matching braces in the source with comments, strings and character
literals blanked out: a brace block at namespace or class scope whose header has a parameter
list is a function body (lambdas count toward the function holding them). Good enough for this
code base's style (clang-format, no macros that open blocks); not a C++ parser.
"""
import re
import signal
import sys
from pathlib import Path

FILE_LIMIT = 600
FUNCTION_LIMIT = 80
REASON = "Kept whole:"


def blank(text):
    """The text with comments, string and char literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == 'R' and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == '_')):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = ")" + m.group(1) + '"'
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum() and text[i + 1:i + 2].isdigit():
                out.append(" ")  # digit separator 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


CONTAINER = re.compile(r"\b(namespace|class|struct|union|enum)\b|extern\s*\"")


def functions(path):
    """(name, first line, last line) of each function body in the file."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    # Preprocessor lines (and their continuations) are not code to match braces in.
    text = re.sub(r"(?m)^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", lambda m: re.sub(r"[^\n]", " ", m.group(0)), raw)
    text = blank(text)
    line_of = []
    line = 1
    for ch in text:
        line_of.append(line)
        if ch == "\n":
            line += 1
    found = []

    def match(i):
        depth = 0
        while i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        return len(text) - 1

    def scope(start, end):
        head_start = start
        i = start
        while i < end:
            c = text[i]
            if c in ";}":
                head_start = i + 1
            elif c == "{":
                header = text[head_start:i]
                stripped = " ".join(header.split())
                close = match(i)
                if CONTAINER.search(stripped) and "(" not in stripped.split("{")[0].split("=")[0].replace("enum class", ""):
                    scope(i + 1, close)
                    head_start = close + 1
                elif "(" in stripped and not stripped.rstrip().endswith("=") and not re.search(r"=\s*$", stripped):
                    # A constructor's brace initialisers (`: a_{x}, b_{y} {`) belong to the header.
                    after = text[close + 1:close + 200].lstrip()
                    if after[:1] in (",", "{"):
                        i = close + 1
                        continue
                    name = re.search(r"([~\w:<>]+(?:operator\s*\S+)?)\s*\([^()]*", stripped)
                    name = name.group(1) if name else stripped[:40]
                    first = line_of[head_start + len(header) - len(header.lstrip())] if header.strip() else line_of[i]
                    found.append((name, first, line_of[close]))
                    head_start = close + 1
                else:
                    head_start = close + 1
                i = close + 1
                continue
            i += 1

    scope(0, len(text))
    lines = raw.split("\n")
    result = []
    for name, first, last in found:
        above = "\n".join(lines[max(0, first - 7):first - 1])
        result.append((name, first, last, REASON in above))
    return result


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    show_all = "--all" in argv
    roots = [Path(a) for a in argv if a != "--all"] or sorted(p for p in Path("src").iterdir() if p.is_dir())
    over = 0
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".cc", ".h"))
        for f in files:
            n = f.read_text(encoding="utf-8", errors="replace").count("\n")
            if n > FILE_LIMIT:
                print(f"file {f}: {n} lines (over {FILE_LIMIT})")
                over += 1
        rows = []
        for f in files:
            for name, first, last, kept in functions(f):
                rows.append((last - first + 1, f"{f}:{first}", name, kept))
        rows.sort(reverse=True)
        for length, where, name, kept in rows:
            if show_all or length > FUNCTION_LIMIT:
                tag = "kept" if kept else ("over" if length > FUNCTION_LIMIT else "")
                print(f"function {where} {name}: {length} lines {tag}".rstrip())
                over += length > FUNCTION_LIMIT and not kept
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
