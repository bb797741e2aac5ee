"""A response's text and parsed document, made once for all of its readers.

The spiders' callbacks and the 互动 and 解读 readers all ask here: a page is decoded once
(``decode_html``, the one reading of its encoding) and parsed once
(:class:`~.extract.htmlutil.Document`), however many of them read it. Entries live as long
as their response.
"""

from __future__ import annotations

import weakref

from scrapy.http import Response

from portalspider.extract.encoding import decode_html
from portalspider.extract.htmlutil import Document

_DOCUMENTS: weakref.WeakKeyDictionary[Response, Document] = weakref.WeakKeyDictionary()


def response_text(response: Response) -> str:
    """The response's body as text, decoded as its headers and markup declare."""
    content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
    return decode_html(response.body, content_type)


def document_of(response: Response) -> Document:
    """The response's HTML, decoded and parsed once for every reader of it."""
    document = _DOCUMENTS.get(response)
    if document is None:
        document = _DOCUMENTS[response] = Document(response_text(response))
    return document
