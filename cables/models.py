from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify

from .parsing import authority
from .parsing.cable import CLASSIFICATIONS


class Classification(models.TextChoices):
    """The six labels of the release, in order of level."""

    UNCLASSIFIED = CLASSIFICATIONS[0]
    UNCLASSIFIED_FOUO = CLASSIFICATIONS[1], "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    CONFIDENTIAL = CLASSIFICATIONS[2]
    CONFIDENTIAL_NOFORN = CLASSIFICATIONS[3], "CONFIDENTIAL//NOFORN"
    SECRET = CLASSIFICATIONS[4]
    SECRET_NOFORN = CLASSIFICATIONS[5], "SECRET//NOFORN"


class Sender(models.Model):
    """An originating post, named as the release names it."""

    name = models.CharField(max_length=200, unique=True)  # Embassy Mexico
    code = models.CharField(max_length=200, blank=True)  # AMEMBASSY MEXICO
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name)[:190] or "sender"
            self.slug, suffix = base, 2
            while Sender.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
                self.slug, suffix = f"{base}-{suffix}", suffix + 1
        super().save(*args, **kwargs)


class Tag(models.Model):
    """A TAGS code: subject (PREL), country (MX, a FIPS 10-4 code), organisation or person."""

    code = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.description}" if self.description else self.code


class CableQuerySet(models.QuerySet):
    def for_listing(self):
        """Cables as rows of a list: sender joined, paragraphs and raw text left out."""
        return self.select_related("sender").defer("raw_text")

    def for_page(self):
        """One cable with everything its page shows, in a fixed number of queries."""
        return self.select_related("sender").prefetch_related(
            Prefetch(
                "cable_tags", queryset=CableTag.objects.select_related("tag").order_by("position")
            ),
            Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")),
            Prefetch("references", queryset=CableReference.objects.order_by("position")),
        )

    def totals(self) -> dict:
        """What the archive holds: cables, their date range, senders and tags. Five
        queries, each answered from an index (SQLite reads every row for COUNT, MIN and
        MAX asked together)."""
        cables = self.order_by()
        totals = {
            "cables": cables.count(),
            "first": cables.aggregate(value=models.Min("date"))["value"],
            "last": cables.aggregate(value=models.Max("date"))["value"],
        }
        totals["senders"] = Sender.objects.count()
        totals["tags"] = Tag.objects.count()
        return totals

    def citing(self, reference_id: str):
        """Cables whose REF lines name ``reference_id``."""
        return self.filter(
            pk__in=CableReference.objects.filter(reference_id=reference_id).values("cable_id")
        )

    def newest_first(self):
        return self.order_by(models.F("date").desc(nulls_last=True), "-id")

    def oldest_first(self):
        return self.order_by(models.F("date").asc(nulls_last=True), "id")

    def with_all_tags(self, tags):
        """Cables carrying every one of ``tags``: one ``id IN (…)`` subquery, served by
        the (tag, cable) index, keeping the cables found once per tag. One subquery for
        any number of tags (with one per tag, PostgreSQL's planning grows steeply with
        every tag)."""
        ids = {tag.id for tag in tags}
        if not ids:
            return self
        carrying = CableTag.objects.filter(tag_id__in=ids).values("cable_id")
        if len(ids) > 1:
            carrying = carrying.annotate(tags=models.Count("tag_id")).filter(tags=len(ids))
        return self.filter(id__in=carrying.values("cable_id"))

    def from_senders(self, senders):
        """Cables from any of ``senders``."""
        return self.filter(sender__in=senders)

    def classified(self, labels):
        """Cables with any of the classification ``labels``."""
        return self.filter(classification__in=labels)


class Cable(models.Model):
    reference_id = models.CharField(max_length=64, unique=True)
    date = models.DateTimeField(null=True, blank=True)
    date_source = models.CharField(max_length=20, blank=True)  # dtg, de, database, metadata
    sender = models.ForeignKey(
        Sender, null=True, blank=True, on_delete=models.PROTECT, related_name="cables"
    )
    classification = models.CharField(
        max_length=40, choices=Classification.choices, blank=True, db_index=True
    )
    caveats = models.JSONField(default=list, blank=True)
    tags = models.ManyToManyField(Tag, through="CableTag", related_name="cables")
    subject = models.TextField(blank=True)
    subject_marking = models.CharField(max_length=20, blank=True)  # C/NF, SBU, …
    to_recipients = models.JSONField(default=list, blank=True)
    info_recipients = models.JSONField(default=list, blank=True)
    reference_lines = models.TextField(blank=True)
    signer = models.CharField(max_length=200, blank=True)
    classified_by = models.TextField(blank=True)
    declassify_on = models.CharField(max_length=200, blank=True)
    precedence = models.CharField(max_length=20, blank=True)
    transmission_id = models.CharField(max_length=40, blank=True)
    summary = models.TextField(blank=True)
    is_partial = models.BooleanField(default=False)

    # The text exactly as imported: every field above can be recomputed from it.
    raw_text = models.TextField()
    raw_sha256 = models.CharField(max_length=64)
    source_format = models.CharField(max_length=10)  # txt, html, csv
    source_name = models.CharField(max_length=500, blank=True)
    # What the release published beside the text (HTML table, CSV columns), if any,
    # and each field where that metadata and the text disagree: {field: {release, text}}.
    release_metadata = models.JSONField(default=dict, blank=True)
    disagreements = models.JSONField(default=dict, blank=True)

    imported_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the latest update is part of the fingerprint that tells whether the
    # stored facet counts (cables/reading/summaries.py) are current.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = CableQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # Named, as cables/reading/results.py asks for them by name: it walks the first for
            # the newest of a large set (in the order of the list: date, then id), and
            # reads the facets of a date range from the second alone.
            models.Index(fields=["date"], name="cable_date"),
            models.Index(fields=["date", "sender", "classification"], name="cable_date_facts"),
            models.Index(fields=["sender", "date"], name="cable_sender_date"),
            models.Index(fields=["classification", "date"], name="cable_class_date"),
            # What the list counts and sorts by, for a set of cables given by id (a tag's,
            # a search's): read from this narrow index instead of the wide rows, which
            # hold the raw text (see cables/reading/results.py).
            models.Index(fields=["id", "sender", "classification", "date"], name="cable_facts"),
        ]

    def __str__(self):
        return self.reference_id

    def get_absolute_url(self):
        return reverse("cable_detail", args=[self.reference_id])

    @cached_property
    def classified_by_parts(self) -> authority.Authority:
        """Who classified it (``person``, ``title``) and under which E.O. 12958 reasons
        (``reasons``, ``letters``), read from the Classified By line as stored."""
        return authority.read_authority(self.classified_by)

    @cached_property
    def declassify_date(self):
        """The day ``declassify_on`` names, or None (``OADR``, ``X1``, …)."""
        return authority.declassify_date(self.declassify_on)

    def get_raw_url(self):
        return reverse("cable_raw", args=[self.reference_id])

    def get_json_url(self):
        return reverse("cable_json", args=[self.reference_id])


class CableTag(models.Model):
    """A tag on a cable, in the order the TAGS line gives."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="cable_tags")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="cable_tags")
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cable", "tag"], name="cabletag_unique")]
        # The facets count cables per tag and filter cables by tag: (tag, cable) serves both.
        indexes = [models.Index(fields=["tag", "cable"], name="cabletag_tag_cable")]

    def __str__(self):
        return f"{self.cable_id} {self.tag_id}"


class CableReference(models.Model):
    """A cable named on a REF line; the referenced cable need not be in the archive."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField()
    reference_id = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cable", "reference_id"], name="cablereference_unique")
        ]

    def __str__(self):
        return self.reference_id


class Paragraph(models.Model):
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=16, blank=True)  # the cable's own number: "1", "10"
    anchor = models.CharField(max_length=24)  # p3, p3-2, t1: see the README
    marking = models.CharField(max_length=60, blank=True)  # SBU, C, S/NF, C/REL TO UK
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["cable", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "anchor"], name="paragraph_anchor_unique"),
            models.UniqueConstraint(fields=["cable", "position"], name="paragraph_position_unique"),
        ]
        # On SQLite, a virtual column ``search_key`` (cable_id * 4096 + position) with a
        # unique index is added by the search schema, outside Django's model: see
        # cables/writing/search_index.py.

    def __str__(self):
        return f"{self.cable_id} ¶{self.number or self.anchor}"

    def get_absolute_url(self):
        return reverse("paragraph_detail", args=[self.cable.reference_id, self.anchor])

    @property
    def label(self) -> str:
        """¶3 for numbered paragraphs; the anchor for unnumbered text."""
        return f"¶{self.number}" if self.number else "Unnumbered text"

    def get_in_cable_url(self):
        return f"{reverse('cable_detail', args=[self.cable.reference_id])}#{self.anchor}"


class CableAlias(models.Model):
    """Another form of a cable's reference id (text-derived, or as the release misprinted it)
    that redirects to the canonical one."""

    alias = models.CharField(max_length=64, unique=True)
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name_plural = "cable aliases"

    def __str__(self):
        return f"{self.alias} → {self.cable_id}"


class RetiredAnchor(models.Model):
    """A paragraph anchor that a re-import or reparse took away. Its permalink still
    answers, by redirecting to the cable with a note, so no citation ever breaks."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="retired_anchors")
    anchor = models.CharField(max_length=24)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cable", "anchor"], name="retiredanchor_unique")
        ]

    def __str__(self):
        return f"{self.cable_id}#{self.anchor}"


class ImportRecord(models.Model):
    """One upload in the admin: who sent which files, what its dry run and import did."""

    class Status(models.TextChoices):
        CHECKING = "checking", "dry run running"
        CHECKED = "checked", "dry run done, waiting for confirmation"
        IMPORTING = "importing", "importing"
        DONE = "done", "imported"
        CANCELLED = "cancelled", "cancelled, nothing imported"
        STOPPED = "stopped", "stopped by an error"

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    user = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)  # a running job's heartbeat
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    files = models.JSONField(default=list, blank=True)  # [{"name": ..., "size": ...}]
    # Where the uploaded files wait between the dry run and the import; emptied after.
    temp_dir = models.CharField(max_length=500, blank=True)
    expected = models.PositiveIntegerField(null=True, blank=True)  # about how many cables
    dry_run = models.BooleanField(default=True)  # whether the counts below are a dry run's
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why a job stopped, if it did

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Upload {self.pk} ({', '.join(file['name'] for file in self.files)})"

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed


class ImportOutcome(models.Model):
    """What an upload's dry run or import did with one cable (or one unreadable file)."""

    record = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="outcomes")
    file = models.CharField(max_length=255)  # the uploaded file it came from
    source = models.CharField(max_length=500)  # file, zip member or CSV row
    reference_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10)  # created, updated, unchanged, failed
    changed_fields = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)  # why it failed
    note = models.TextField(blank=True)  # e.g. a reference id repeated in the upload

    class Meta:
        ordering = ["record", "id"]

    def __str__(self):
        return f"{self.source}: {self.status}"


class FacetCount(models.Model):
    """How many cables of a scope (the whole archive, one tag, one sender, one
    classification or one year) have each value of a facet; see cables/reading/summaries.py."""

    scope = models.CharField(max_length=20, blank=True)  # "", tag, sender, classification, year
    scope_value = models.CharField(max_length=200, blank=True)
    # tag, sender, classification, year, month, total; the whole archive: paragraphs, partial
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=200, blank=True)
    count = models.PositiveIntegerField()
    # The facet value's row, for its code, description or name.
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(
        Sender, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["scope", "scope_value", "facet", "-count"], name="facetcount_lookup"
            )
        ]

    def __str__(self):
        return f"{self.scope}={self.scope_value} {self.facet}={self.value}: {self.count}"


class SummaryFingerprint(models.Model):
    """The state of the cable table that the stored FacetCounts describe (one row)."""

    cables = models.PositiveIntegerField()
    last_id = models.BigIntegerField()
    last_update = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.cables} cables, counted at {self.computed_at:%Y-%m-%d %H:%M}"


class ArchiveVersion(models.Model):
    """One row, whose ``version`` goes up with every write to what the public pages show,
    in that write's own transaction. The page cache (cables/web/caching.py) keeps pages under
    the version they were built at, so one write makes every stored page stale at once."""

    version = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"version {self.version}, changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"
