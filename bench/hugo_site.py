"""The anchor of the text-channel benchmark: Hugo building the same RSS from the same units.

    python bench/hugo_site.py PROJECT SITE

Copies a project's units into a Hugo site (`date:` from `publish:`, one section per
kind) with an RSS template that carries what the toolkit's feed items carry: the
title, the link, the date, the categories from the tags, and the full text with the
steps and documents as lists. Hugo builds only RSS: the site's feed and one per
section, every item (no limit), no HTML pages. Hugo comes from Debian
(`apt install hugo`, 0.111 on bookworm, the version the scale issue measured).
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

CONFIG = """\
baseURL = "https://dichvucong.example.gov.vn/"
title = "Cải cách hành chính"
languageCode = "vi"
disableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404"]
rssLimit = -1
[outputs]
home = ["RSS"]
section = ["RSS"]
page = []
[params]
rfc822 = "Mon, 02 Jan 2006 15:04:05 -0700"
"""

RSS = """\
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{{ .Site.Title }}{{ with .Title }} – {{ . }}{{ end }}</title>
<link>{{ .Permalink }}</link>
<description>{{ .Site.Title }}</description>
<language>vi</language>
{{ with .Site.LastChange }}<lastBuildDate>{{ .Format $.Site.Params.rfc822 }}\
</lastBuildDate>{{ end }}
{{ $pages := .RegularPages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ range $pages.ByDate.Reverse }}<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<guid isPermaLink="false">{{ .File.BaseFileName }}</guid>
<pubDate>{{ .Date.Format $.Site.Params.rfc822 }}</pubDate>
{{ range .Params.tags }}<category>{{ . }}</category>
{{ end }}<description>{{ printf "<p>%s</p>%s<ol>%s</ol><ul>%s</ul>" \
(.Params.summary | htmlEscape) .Content (delimit (apply .Params.steps "htmlEscape" ".") "") \
(delimit (apply .Params.documents "htmlEscape" ".") "") }}</description>
</item>
{{ end }}</channel>
</rss>
"""

PUBLISH = re.compile(r"^publish:[ \t]*(.+)$", re.MULTILINE)
KIND = re.compile(r"^kind:[ \t]*(\w+)", re.MULTILINE)


def make_site(project: Path, site: Path) -> None:
    """A Hugo site whose pages are `project`'s units, ready for `hugo -s SITE`."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "rss.xml").write_text(RSS, encoding="utf-8")
    for unit in sorted((project / "content").glob("*.md")):
        text = unit.read_text(encoding="utf-8")
        kind = KIND.search(text)
        publish = PUBLISH.search(text)
        if kind is None or publish is None:
            continue
        section = site / "content" / kind.group(1)
        section.mkdir(parents=True, exist_ok=True)
        dated = text.replace("\n", f"\ndate: {publish.group(1)}\n", 1)
        (section / unit.name).write_text(dated, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", type=Path)
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    make_site(args.project, args.site)


if __name__ == "__main__":
    main()
