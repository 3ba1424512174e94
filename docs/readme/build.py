"""Paste the sections in docs/readme/*.md into README.md between the section markers.

Run: python docs/readme/build.py   (each area keeps its user guide in docs/readme/<area>.md)
"""

from pathlib import Path

ORDER = ["checklist", "visit", "quote", "checkout", "aftersales", "catalog", "manager", "practice",
         "serve", "reliability", "performance"]
BEGIN, END = "<!-- sections:begin -->", "<!-- sections:end -->"

here = Path(__file__).resolve().parent
readme = here.parents[1] / "README.md"
names = [n for n in ORDER if (here / f"{n}.md").exists()]
names += sorted(p.stem for p in here.glob("*.md") if p.stem not in ORDER)


def demote(text: str) -> str:
    """Each section's headings one level down: they sit under the README's own heading."""
    out, fence = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        out.append("#" + line if line.startswith("#") and not fence else line)
    return "\n".join(out)


body = "\n\n".join(demote((here / f"{n}.md").read_text(encoding="utf-8").strip()) for n in names)
text = readme.read_text(encoding="utf-8")
head, rest = text.split(BEGIN, 1)
_, tail = rest.split(END, 1)
readme.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}", encoding="utf-8")
print(f"README.md: {len(names)} sections: {', '.join(names)}")
