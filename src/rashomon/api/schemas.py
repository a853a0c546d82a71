"""Pydantic shapes of the API's bodies, for the OpenAPI document (``/openapi.json``). The contract objects
reuse the typed records of :mod:`rashomon.model`, so the document cannot drift from what the stages emit.
Responses are built by :class:`rashomon.api.desk.Desk` and sent as they are; these models describe them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .. import model


class ArticleIn(BaseModel):
    """One article, with the fields of a JSONL input line. ``text`` or ``html`` is required."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": "kell-17", "title": "Kell council backs harbour plan", "date": "2026-01-05", "outlet": "Kell Post",
         "text": "The council of Kell voted on Monday to rebuild the old harbour."}]})

    id: str | None = Field(None, description="Your id; kept as source_id.")
    text: str | None = Field(None, description="The article's body as plain text.")
    html: str | None = Field(None, description="A saved web page (used when text is absent).")
    date: str | None = Field(None, description="Publication date, YYYY-MM-DD (other common forms are read too).")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = Field(None, description="ISO 639-1; detected when absent.")


class Placed(BaseModel):
    id: str = Field(description="rashomon's article id (stable for the same content).")
    source_id: str | None = None
    story: str | None = Field(description="The story the article joined (or started).")
    family: str | None = Field(description="Its syndication family: copies of one report share it.")
    new: bool = Field(description="False when the same article was already stored.")
    title: str | None = None
    outlet: str | None = None


class SkippedOut(BaseModel):
    index: int = Field(description="Position of the item (or uploaded file) in the request.")
    reason: str
    input: str | None = None
    line: int | None = Field(None, description="Line of an uploaded JSONL file, or entry of a feed.")


class AddResult(BaseModel):
    articles: list[Placed]
    skipped: list[SkippedOut]
    warnings: list[SkippedOut] = Field(
        default_factory=list, description="Articles stored with a loss (e.g. undecodable bytes replaced), and what was lost.")


class Error(BaseModel):
    error: str = Field(description="What went wrong and how to fix it.")
    code: str | None = Field(None, description="rashomon's error code (E0xx library, E1xx API).")
    skipped: list[SkippedOut] | None = None


class StoryRow(BaseModel):
    id: str
    title: str
    date: str | None
    article_ids: list[str]
    families: list[list[str]]
    independent_sources: int
    outlets: list[str] = []
    languages: list[str] = Field([], description="Languages of its articles (ISO 639-1, from their text).")
    not_analysed: int = Field(0, description="Its articles in a language rashomon groups but does not analyse.")


class Paged(BaseModel):
    """Present only when the request asked for a page (``limit`` or ``offset``)."""

    total: int | None = Field(None, description="Items in the whole (filtered) list.")
    limit: int | None = None
    offset: int | None = None
    next_offset: int | None = Field(None, description="The offset of the next page; null on the last one.")


class StoryList(Paged):
    stories: list[StoryRow]


class ArticleOut(BaseModel):
    id: str
    source_id: str | None
    input: str
    outlet: str | None
    title: str | None
    date: str | None
    date_source: str | None
    language: str | None
    analysed: bool = Field(True, description="False where the language has no analysis pipeline: stored, "
                                             "cleaned and grouped, but no model reads it.")
    analysed_reason: str | None = Field(None, description='Why not ("German: no model installed for this language").')
    language_declared: str | None = Field(None, description="The input's declared language, where the text "
                                                            "contradicts it.")
    text: str
    removed: list[str]
    family: str | None
    story: str | None
    url: str | None = None
    label: str | None = Field(None, description="A readable name for the source: its outlet, else its site, never a path or an id.")
    edits: dict[str, dict[str, str | None]] = Field(
        default_factory=dict, description="Corrections made by hand: field -> {original, value}.")


class ArticleEdit(BaseModel):
    """A correction of what was read: the outlet's name, the title. Absent fields stay as they are; an empty
    string clears one."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"outlet": "Kell Post"}]})

    outlet: str | None = None
    title: str | None = None


class Version(BaseModel):
    id: str
    version: str = Field(description="Changes whenever the story's articles, families or edits change.")
    articles: int


class ThreadStory(BaseModel):
    id: str
    title: str
    date: str | None
    articles: int


class ThreadOut(BaseModel):
    """Stories of one long-running topic (analysis.json's ``threads``), with their titles and dates."""

    id: str
    title: str
    story_ids: list[str]
    date_range: tuple[str | None, str | None]
    stories: list[ThreadStory]


class ThreadList(Paged):
    threads: list[ThreadOut]


class EntityWithStoreId(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str]
    descriptions: list[str]
    country: str | None
    article_ids: list[str]
    store_id: str = Field(description="The entity's id across the store, for GET /api/entities/{id}.")


class StoryAnalysis(BaseModel):
    """The contract's top-level object (``analysis.json``) restricted to one story."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema", examples=[model.SCHEMA])
    generated_at: str
    articles: list[ArticleOut]
    stories: list[model.Story]
    entities: list[EntityWithStoreId]
    quotes: list[model.Quote]
    claims: list[model.Claim]
    events: list[model.Event]
    timeline: list[model.TimelineItem]
    differences: list[model.Difference]
    brief: list[model.BriefSentence]


class StoreEntity(BaseModel):
    """An entity across the store: the same type and canonical name in any story."""

    id: str
    name: str
    type: str
    aliases: list[str]
    descriptions: list[str]
    country: str | None
    article_ids: list[str]
    stories: list[str]


class EntityList(Paged):
    entities: list[StoreEntity]


class StoryRef(BaseModel):
    id: str
    title: str
    date: str | None


class ArticleRef(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    date: str | None
    story: str | None


class EntityPage(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str]
    descriptions: list[str]
    country: str | None
    article_ids: list[str]
    stories: list[StoryRef]
    articles: list[ArticleRef]
    quotes: list[dict[str, Any]]
    events: list[dict[str, Any]]


class ArticleHit(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    date: str | None
    story: str | None
    snippet: list[tuple[str, bool]] = Field(description="[text, matched] pieces: show text, highlight matches.")


class QuoteHit(BaseModel):
    article_id: str
    speaker: str | None
    text: str
    start: int | None
    end: int | None
    outlet: str | None
    title: str | None
    story: str | None
    snippet: list[tuple[str, bool]]


class SearchResult(BaseModel):
    query: str
    offset: int | None = None
    articles: list[ArticleHit]
    quotes: list[QuoteHit]


class Deleted(BaseModel):
    deleted: str
    story: str | None = Field(description="The story the article was in.")
    family: str | None
    stories: list[str] = Field(description="Where its former story-mates are now.")


class FeedStatus(BaseModel):
    """One URL the feed follower (``rashomon watch``, ``serve --watch``) follows into this store."""

    url: str
    status: str | None = Field(None, description="the last poll: ok, not modified or error")
    error: str | None = None
    failures: int = Field(0, description="errors in a row")
    retry_at: float | None = Field(None, description="not asked again before (seconds since the epoch)")
    polled_at: float | None = None
    items: int = Field(0, description="entries stored from it")
    feed_url: str | None = Field(None, description="the feed a followed page names")


class Status(BaseModel):
    articles: int
    stories: int
    db: str | None = Field(None, description="The store's path on the server; null for callers without the "
                                             "token when the server has one.")
    max_upload_bytes: int
    stats: dict[str, int]
    writes_need_token: bool
    feeds: list[FeedStatus] = []
