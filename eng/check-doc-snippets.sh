#!/usr/bin/env bash
# Checks that every fenced C# block in docs/ that follows a "<!-- snippet: Name -->" marker is the
# region "#region snippet_Name" of tests/SessionCore.DocSnippets, line for line (leading indentation
# and trailing white space ignored). The same comparison runs in DocSnippetMarkersTests, so
# "dotnet test" fails too when docs and snippets drift. Exit 0: in sync; 1: a difference (listed).
#   eng/check-doc-snippets.sh           check
#   eng/check-doc-snippets.sh --update  rewrite each marked block from its region, then check
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - "$@" <<'PY'
import pathlib, re, sys

update = "--update" in sys.argv[1:]

def dedent(body):
    indents = [len(l) - len(l.lstrip()) for l in body if l.strip()]
    cut = min(indents) if indents else 0
    return [l[cut:].rstrip() for l in body]

regions = {}
errors = []
for cs in sorted(pathlib.Path("tests/SessionCore.DocSnippets").rglob("*.cs")):
    if any(part in ("bin", "obj") for part in cs.parts):
        continue
    name, body = None, []
    for line in cs.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        m = re.fullmatch(r"#region snippet_(\w+)", stripped)
        if m:
            name, body = m.group(1), []
        elif name is not None and stripped == "#endregion":
            if name in regions:
                errors.append(f"{cs}: region snippet_{name} is defined twice")
            regions[name] = dedent(body)
            name = None
        elif name is not None:
            body.append(line)

used = set()
marker = re.compile(r"^\s*<!--\s*snippet:\s*(\w+)\s*-->\s*$")
for md in sorted(pathlib.Path("docs").rglob("*.md")) + [pathlib.Path("README.md")]:
    lines = md.read_text(encoding="utf-8").splitlines()
    changed = False
    i = 0
    while i < len(lines):
        m = marker.match(lines[i])
        i += 1
        if not m:
            continue
        name = m.group(1)
        used.add(name)
        j = i
        while j < len(lines) and lines[j].strip() == "":
            j += 1
        if j >= len(lines) or lines[j].strip() not in ("```csharp", "```cs", "```c#"):
            errors.append(f"{md}:{i}: snippet {name}: the marker is not followed by a C# code block")
            continue
        j += 1
        start = j
        block = []
        while j < len(lines) and lines[j].strip() != "```":
            block.append(lines[j].strip())
            j += 1
        i = j + 1
        if name not in regions:
            errors.append(f"{md}:{i}: snippet {name}: no region snippet_{name} in tests/SessionCore.DocSnippets")
            continue
        expected = [l.strip() for l in regions[name]]
        if update and block != expected:
            lines[start:j] = regions[name]
            i = start + len(regions[name]) + 1
            changed = True
            continue
        if block != expected:
            for k in range(max(len(block), len(expected))):
                a = block[k] if k < len(block) else "<end of block>"
                b = expected[k] if k < len(expected) else "<end of region>"
                if a != b:
                    errors.append(f"{md}: snippet {name}, line {k + 1}:\n    docs:    {a}\n    snippet: {b}")
                    break
    if changed:
        md.write_text("\n".join(lines) + "\n", encoding="utf-8")

for name in sorted(set(regions) - used):
    print(f"note: region snippet_{name} is not shown in any doc")
for e in errors:
    print(e, file=sys.stderr)
print(f"{len(used)} snippet marker(s) checked, {len(errors)} problem(s)")
sys.exit(1 if errors else 0)
PY
