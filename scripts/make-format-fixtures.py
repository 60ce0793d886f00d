#!/usr/bin/env python3
"""Writes the Word and OpenDocument fixtures of tests/fixtures/formats/.

The .docx and .odt files are zip packages with the parts Word and LibreOffice write
(content types, relationships, styles, footnotes, metadata), so that the readers are
tested on the structure real documents have. The zip entries carry a fixed date, so
running this again gives the same bytes. The HTML, XLIFF and SRT fixtures are plain text
files kept beside them by hand.

Usage: scripts/make-format-fixtures.py [OUTPUT_DIR]   (default: tests/fixtures/formats)
"""

import os
import struct
import sys
import zipfile
from xml.sax.saxutils import escape

DATE = (2024, 3, 9, 10, 30, 0)

# The story, in English and French: (kind, text) where kind is a heading level, "p",
# "li" (a list item) or "row" (a table row of two cells, split on "|").
STORY = {
    "en": [
        ("h1", "A Saturday at the market"),
        ("p", "Every Saturday morning, the square in front of the town hall fills with stalls. "
              "Farmers from the nearby villages sell vegetables, cheese and fresh bread. "
              "The market opens at seven and closes at one."),
        ("p", "We usually arrive early, before the crowd. My daughter likes to choose the apples herself. "
              "She always asks the seller which ones are the sweetest."),
        ("h2", "What we buy"),
        ("li", "Two loaves of bread."),
        ("li", "A kilo of tomatoes."),
        ("li", "Goat cheese from the Martin farm."),
        ("row", "Opening hours|Saturday, 7:00 to 13:00"),
        ("p", "On the way home, we stop at the café on the corner. "
              "The owner knows our order by heart: one coffee, one hot chocolate and a croissant to share."),
    ],
    "fr": [
        ("h1", "Un samedi au marché"),
        ("p", "Chaque samedi matin, la place devant la mairie se remplit d'étals. "
              "Les agriculteurs des villages voisins vendent des légumes, du fromage et du pain frais. "
              "Le marché ouvre à sept heures et ferme à treize heures."),
        ("p", "Nous arrivons d'habitude tôt, avant la foule. Ma fille aime choisir les pommes elle-même. "
              "Elle demande toujours au vendeur lesquelles sont les plus sucrées."),
        ("h2", "Ce que nous achetons"),
        ("li", "Deux pains."),
        ("li", "Un kilo de tomates."),
        ("li", "Du fromage de chèvre de la ferme Martin."),
        ("row", "Horaires|Samedi, de 7 h à 13 h"),
        ("p", "Sur le chemin du retour, nous nous arrêtons au café du coin. "
              "Le patron connaît notre commande par cœur : un café, un chocolat chaud et un croissant à partager."),
    ],
}

# Revision marks and a footnote, one per language, put into the second paragraph: text
# that a reader must leave out (deleted, footnote) or keep (inserted).
DELETED = {"en": "formerly ", "fr": "autrefois "}
FOOTNOTE = {"en": "The market is closed in January.", "fr": "Le marché est fermé en janvier."}


def write_zip(path, entries):
    """Writes entries (name, text or bytes, compress?) to the zip at path."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data, compress in entries:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


# --- Word ---------------------------------------------------------------------------

W_NS = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'mc:Ignorable="w14"'
)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""

DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>"""

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>bitext fixtures</dc:creator><dc:language>{lang}</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">2024-03-09T10:30:00Z</dcterms:created></cp:coreProperties>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><AppVersion>16.0000</AppVersion></Properties>"""


def run(text, props=""):
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def runs(text):
    """Runs for text, split at its first comma as Word splits runs at edits."""
    head, comma, tail = text.partition(", ")
    if not comma:
        return run(text)
    return run(head + ",") + '<w:r><w:rPr><w:lang w:val="x"/></w:rPr><w:t xml:space="preserve"> </w:t></w:r>' + run(tail)


def docx_document(lang):
    body = []
    paragraphs = 0
    for kind, text in STORY[lang]:
        if kind in ("h1", "h2"):
            style = "Heading1" if kind == "h1" else "Heading2"
            body.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run(text)}</w:p>')
        elif kind == "li":
            body.append(
                '<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/>'
                f'<w:numId w:val="1"/></w:numPr></w:pPr>{run(text)}</w:p>'
            )
        elif kind == "row":
            cells = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr><w:p>{run(c)}</w:p></w:tc>'
                for c in text.split("|")
            )
            body.append(
                '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
                f'<w:tblGrid><w:gridCol w:w="4500"/><w:gridCol w:w="4500"/></w:tblGrid><w:tr>{cells}</w:tr></w:tbl>'
            )
        else:
            paragraphs += 1
            if paragraphs == 2:
                # A tracked deletion, a tracked insertion and a footnote reference in the
                # first sentence; a tab and a line break in an empty-looking run.
                first, _, rest = text.partition(". ")
                words = first.split(" ", 1)
                inner = (
                    run(words[0] + " ")
                    + f'<w:del w:id="1" w:author="Ana" w:date="2024-03-09T10:00:00Z"><w:r><w:delText xml:space="preserve">{escape(DELETED[lang])}</w:delText></w:r></w:del>'
                    + f'<w:ins w:id="2" w:author="Ana" w:date="2024-03-09T10:00:00Z">{run(words[1] + ".")}</w:ins>'
                    + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
                    + run(" " + rest)
                )
                body.append(f'<w:p><w:pPr><w:spacing w:after="160"/></w:pPr>{inner}</w:p>')
            else:
                body.append(f"<w:p>{runs(text)}</w:p>")
            # An empty paragraph, as people type to make space.
            body.append('<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>')
    sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document {W_NS}><w:body>{"".join(body)}{sect}</w:body></w:document>'
    )


def footnotes(lang):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes {W_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>{run(" " + FOOTNOTE[lang])}</w:p></w:footnote></w:footnotes>'
    )


def docx_entries(lang, document=None):
    return [
        ("[Content_Types].xml", CONTENT_TYPES, True),
        ("_rels/.rels", PACKAGE_RELS, True),
        ("word/document.xml", document if document is not None else docx_document(lang), True),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS, True),
        ("word/styles.xml", STYLES, True),
        ("word/footnotes.xml", footnotes(lang), True),
        ("docProps/core.xml", CORE.format(title=escape(STORY[lang][0][1]), lang=lang), True),
        ("docProps/app.xml", APP, True),
    ]


# --- OpenDocument -------------------------------------------------------------------

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'office:version="1.3"'
)

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>"""


def odt_content(lang):
    body = [
        '<text:tracked-changes><text:changed-region xml:id="ct1" text:id="ct1"><text:deletion>'
        '<office:change-info><dc:creator>Ana</dc:creator><dc:date>2024-03-09T10:00:00</dc:date></office:change-info>'
        f'<text:p>{escape(DELETED[lang])}</text:p></text:deletion></text:changed-region></text:tracked-changes>'
    ]
    in_list = False
    paragraphs = 0
    for kind, text in STORY[lang]:
        if kind == "li" and not in_list:
            body.append('<text:list text:style-name="L1">')
            in_list = True
        if kind != "li" and in_list:
            body.append("</text:list>")
            in_list = False
        if kind in ("h1", "h2"):
            level = kind[1]
            body.append(
                f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{escape(text)}</text:h>'
            )
        elif kind == "li":
            body.append(f'<text:list-item><text:p text:style-name="P2">{escape(text)}</text:p></text:list-item>')
        elif kind == "row":
            cells = "".join(
                f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>'
                for c in text.split("|")
            )
            body.append(
                '<table:table table:name="Table1"><table:table-column table:number-columns-repeated="2"/>'
                f"<table:table-row>{cells}</table:table-row></table:table>"
            )
        else:
            paragraphs += 1
            if paragraphs == 2:
                first, _, rest = text.partition(". ")
                words = first.split(" ", 1)
                body.append(
                    f'<text:p text:style-name="P1">{escape(words[0])} <text:change text:change-id="ct1"/>'
                    f'<text:span text:style-name="T1">{escape(words[1])}</text:span>.'
                    '<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                    f'<text:note-body><text:p text:style-name="Footnote">{escape(FOOTNOTE[lang])}</text:p></text:note-body></text:note>'
                    f" {escape(rest)}</text:p>"
                )
            else:
                # LibreOffice writes a second space as text:s, and wraps long lines.
                first, _, rest = text.partition(" ")
                body.append(f'<text:p text:style-name="P1">{escape(first)}\n  {escape(rest)}</text:p>')
            body.append('<text:p text:style-name="P1"/>')
    if in_list:
        body.append("</text:list>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<office:document-content {ODT_NS}><office:scripts/><office:automatic-styles>"
        '<style:style style:name="P1" style:family="paragraph"/><style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>'
        '</office:automatic-styles><office:body><office:text><text:sequence-decls/>'
        + "".join(body)
        + "</office:text></office:body></office:document-content>"
    )


def odt_entries(lang, content=None, mimetype="application/vnd.oasis.opendocument.text"):
    styles = f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ODT_NS}><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Header text</text:p></style:header></style:master-page></office:master-styles></office:document-styles>'
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ODT_NS}><office:meta>'
        f"<meta:generator>LibreOffice/7.6</meta:generator><dc:title>{escape(STORY[lang][0][1])}</dc:title>"
        f"<dc:language>{lang}</dc:language></office:meta></office:document-meta>"
    )
    return [
        # The media type comes first and uncompressed, as ODF requires.
        ("mimetype", mimetype, False),
        ("META-INF/manifest.xml", MANIFEST, True),
        ("content.xml", content if content is not None else odt_content(lang), True),
        ("styles.xml", styles, True),
        ("meta.xml", meta, True),
    ]


def zip_bomb(path, entries, name):
    """Writes entries, then makes the central directory claim that name uncompresses to
    2 GiB: a reader must refuse it before inflating anything."""
    write_zip(path, entries)
    data = bytearray(open(path, "rb").read())
    encoded = name.encode()
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len] == encoded:
            struct.pack_into("<I", data, pos + 24, 0x7FFFFFFF)
        pos += 4
    open(path, "wb").write(bytes(data))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("tests", "fixtures", "formats")
    os.makedirs(out, exist_ok=True)
    j = lambda name: os.path.join(out, name)
    for lang in ("en", "fr"):
        write_zip(j(f"market.{lang}.docx"), docx_entries(lang))
        write_zip(j(f"market.{lang}.odt"), odt_entries(lang))
    # Malformed documents.
    with open(j("not-a-zip.docx"), "w") as f:
        f.write("This is a plain text file with a .docx name.\n")
    write_zip(j("no-document.docx"), [e for e in docx_entries("en") if e[0] != "word/document.xml"])
    broken = docx_document("en").replace("</w:t></w:r></w:p>", "</w:r></w:p>", 1)
    write_zip(j("broken-xml.docx"), docx_entries("en", document=broken))
    zip_bomb(j("bomb.docx"), docx_entries("en"), "word/document.xml")
    write_zip(j("broken-xml.odt"), odt_entries("en", content=odt_content("en").replace("</text:h>", "</text:p>", 1)))
    write_zip(
        j("spreadsheet.odt"),
        odt_entries("en", mimetype="application/vnd.oasis.opendocument.spreadsheet"),
    )


if __name__ == "__main__":
    main()
