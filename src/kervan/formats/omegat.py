"""OmegaT project files: omegat.project, the project's segmentation rules and filter settings.

What each OmegaT version reads from a project folder:
- ``omegat.project`` (version 1.0: 3.6 refuses any other, 5.x and 6.x read it as it is);
- ``omegat/segmentation.conf``: the rules as Java's XMLEncoder writes an ``org.omegat.core.segmentation.SRX``
  object, the only form 3.6 reads;
- ``omegat/segmentation.srx``: standard SRX 2.0, which 5.x and later read first (and, finding only a .conf,
  convert it to .srx and delete the .conf);
- ``omegat/filters.xml``: the file filters; OmegaT adds the filters it has and the file does not list.

The translator's work lives in ``omegat/project_save.tmx`` (TMX 1.1), read with formats.tmx.
"""

from __future__ import annotations

import os

from ..errors import KervanError
from ..record import Record, init
from ..segmentation.ruleset import SrxRules
from .xmltext import NOT_XML_CHAR, escape, quoteattr

PROJECT_FILE = "omegat.project"
SAVE_TMX = "omegat/project_save.tmx"
SEGMENTATION_CONF = "omegat/segmentation.conf"
SEGMENTATION_SRX = "omegat/segmentation.srx"
FILTERS = "omegat/filters.xml"

# The version of segmentation.conf that OmegaT 3.6 writes; an older one would be merged with OmegaT's defaults.
_CONF_VERSION = "0.2.2"
# The tokenizers OmegaT offers per language (Lucene analysers ship with 3.6 and later).
_TOKENIZERS = {
    "tr": "LuceneTurkishTokenizer",
    "en": "LuceneEnglishTokenizer",
    "ru": "LuceneRussianTokenizer",
    "de": "LuceneGermanTokenizer",
    "fr": "LuceneFrenchTokenizer",
    "es": "LuceneSpanishTokenizer",
    "it": "LuceneItalianTokenizer",
}
_DEFAULT_EXCLUDES = (
    "**/.svn/**",
    "**/CSV/**",
    "**/.cvs/**",
    "**/desktop.ini",
    "**/Thumbs.db",
    "**/.DS_Store",
)


def _xml_text(value: str, what: str) -> str:
    bad = NOT_XML_CHAR.search(value)
    if bad:
        raise KervanError(f"{what} contains U+{ord(bad.group()):04X}, which XML cannot carry")
    return escape(value)


def _tokenizer(lang: str) -> str:
    primary = lang.replace("_", "-").split("-")[0].lower()
    return "org.omegat.tokenizer." + _TOKENIZERS.get(primary, "DefaultTokenizer")


def omegat_lang(lang: str) -> str:
    """A language code as OmegaT writes it in omegat.project: "en", "pt-BR" (gettext's "pt_BR")."""
    parts = lang.replace("_", "-").split("-")
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


def project_bytes(source_lang: str, target_lang: str) -> bytes:
    """omegat.project for a project in the default layout (source/, target/, tm/, glossary/, dictionary/)."""
    excludes = "".join(f"            <mask>{escape(mask)}</mask>\n" for mask in _DEFAULT_EXCLUDES)
    text = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<omegat>\n"
        '    <project version="1.0">\n'
        "        <source_dir>__DEFAULT__</source_dir>\n"
        f"        <source_dir_excludes>\n{excludes}        </source_dir_excludes>\n"
        "        <target_dir>__DEFAULT__</target_dir>\n"
        "        <tm_dir>__DEFAULT__</tm_dir>\n"
        "        <glossary_dir>__DEFAULT__</glossary_dir>\n"
        "        <glossary_file>__DEFAULT__</glossary_file>\n"
        "        <dictionary_dir>__DEFAULT__</dictionary_dir>\n"
        f"        <source_lang>{escape(omegat_lang(source_lang))}</source_lang>\n"
        f"        <target_lang>{escape(omegat_lang(target_lang))}</target_lang>\n"
        f"        <source_tok>{_tokenizer(source_lang)}</source_tok>\n"
        f"        <target_tok>{_tokenizer(target_lang)}</target_tok>\n"
        "        <sentence_seg>true</sentence_seg>\n"
        "        <support_default_translations>true</support_default_translations>\n"
        "        <remove_tags>false</remove_tags>\n"
        "    </project>\n"
        "</omegat>\n"
    )
    return text.encode("utf-8")


class ProjectInfo(Record):
    """What Kervan needs from an omegat.project: the languages."""

    _fields = ("source_lang", "target_lang")
    __slots__ = _fields
    source_lang: str
    target_lang: str

    def __init__(self, source_lang: str, target_lang: str) -> None:
        init(self, "source_lang", source_lang)
        init(self, "target_lang", target_lang)


def read_project(path: str | os.PathLike[str]) -> ProjectInfo:
    """The languages of an omegat.project, read with the hardened parser."""
    from .xml import parse_file

    where = os.fspath(path)
    root = parse_file(where).getroot()
    if root.tag != "omegat":
        raise KervanError(f"not an OmegaT project file (root element <{root.tag}>)", where, root.sourceline)
    project = root.find("project")
    if project is None:
        raise KervanError("no <project> element", where, root.sourceline)
    values: dict[str, str] = {}
    for name in ("source_lang", "target_lang"):
        element = project.find(name)
        if element is None or not (element.text or "").strip():
            raise KervanError(f"no <{name}>", where, project.sourceline)
        values[name] = element.text.strip()
    return ProjectInfo(values["source_lang"], values["target_lang"])


def segmentation_conf_bytes(rules: SrxRules) -> bytes:
    """The rules as OmegaT 3.6 reads them: Java XMLEncoder output for org.omegat.core.segmentation.SRX.

    OmegaT 3.6 always cascades (every language map that matches contributes its rules, in map order), as
    Kervan's shipped rules do; a rule file without cascade is written as it is and cascades there.
    """
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<java version="1.8.0" class="java.beans.XMLDecoder">\n',
        ' <object class="org.omegat.core.segmentation.SRX">\n',
        '  <void property="mappingRules">\n',
        '   <object class="java.util.ArrayList">\n',
    ]
    for pattern, name in rules.maprules:
        rule_list = rules.languagerules.get(name)
        if rule_list is None:
            raise KervanError(f"languagemap refers to unknown languagerule {name!r}", rules.path or None)
        out.append('    <void method="add">\n')
        out.append('     <object class="org.omegat.core.segmentation.MapRule">\n')
        out.append(f'      <void property="language">\n       <string>{_xml_text(name, "rule name")}</string>\n')
        out.append("      </void>\n")
        out.append(f'      <void property="pattern">\n       <string>{_xml_text(pattern, "pattern")}</string>\n')
        out.append("      </void>\n")
        out.append('      <void property="rules">\n       <object class="java.util.ArrayList">\n')
        for rule in rule_list:
            out.append('        <void method="add">\n         <object class="org.omegat.core.segmentation.Rule">\n')
            out.append(f'          <void property="afterbreak">\n           <string>{_xml_text(rule.after, "rule")}')
            out.append("</string>\n          </void>\n")
            out.append(f'          <void property="beforebreak">\n           <string>{_xml_text(rule.before, "rule")}')
            out.append("</string>\n          </void>\n")
            out.append('          <void property="breakRule">\n')
            out.append(f"           <boolean>{'true' if rule.is_break else 'false'}</boolean>\n          </void>\n")
            out.append("         </object>\n        </void>\n")
        out.append("       </object>\n      </void>\n")
        out.append("     </object>\n    </void>\n")
    out += [
        "   </object>\n",
        "  </void>\n",
        '  <void property="segmentSubflows">\n   <boolean>true</boolean>\n  </void>\n',
        f'  <void property="version">\n   <string>{_CONF_VERSION}</string>\n  </void>\n',
        " </object>\n",
        "</java>\n",
    ]
    return "".join(out).encode("utf-8")


def filters_bytes(pattern: str = "*.txt") -> bytes:
    """filters.xml: plain-text files read and written as UTF-8, one paragraph per line (segment on line breaks).

    Kervan's articles hold a paragraph per line; OmegaT's default for text files is a paragraph per block of
    lines, which would join the headline with the date and the paragraphs with each other.
    """
    mask = quoteattr(pattern)
    text = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<filters removeTags="true" removeSpacesNonseg="true" preserveSpaces="false" ignoreFileContext="false">\n'
        '    <filter className="org.omegat.filters2.text.TextFilter" enabled="true">\n'
        f'        <files sourceFilenameMask={mask} targetFilenamePattern="${{filename}}" '
        'sourceEncoding="UTF-8" targetEncoding="UTF-8"/>\n'
        '        <option name="segmentOn" value="BREAKS"/>\n'
        '        <option name="lineLength" value=""/>\n'
        '        <option name="maxLineLength" value=""/>\n'
        "    </filter>\n"
        "</filters>\n"
    )
    return text.encode("utf-8")
