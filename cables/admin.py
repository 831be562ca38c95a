from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from .archive_version import bump_version
from .models import (
    Cable,
    CableAlias,
    CableReference,
    CableTag,
    ImportOutcome,
    ImportRecord,
    Paragraph,
    Sender,
    Tag,
)
from .reading import summaries
from .web import uploads

UPLOAD_PERMISSION = "cables.add_cable"


class BumpsVersion:
    """For the admin of what the public pages show: each save and delete bumps the
    archive's version in its own transaction (the admin's change and delete views run in
    one; the delete action does not, so it gets its own), which makes the cached pages
    stale when it commits (cables/web/caching.py). Uploads bump in the import service."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_version()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump_version()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            bump_version()


class NamesScopes(BumpsVersion):
    """For tags and senders: the stored facet counts (cables/reading/summaries.py) are kept under
    a tag's code and a sender's slug, so changing one makes them stale."""

    scope_field = ""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and self.scope_field in form.changed_data:
            summaries.forget()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ParagraphInline(ReadOnlyInline):
    model = Paragraph
    fields = ("position", "anchor", "number", "marking", "heading", "text")
    readonly_fields = fields
    ordering = ("position",)


class CableTagInline(ReadOnlyInline):
    model = CableTag
    fields = ("position", "tag")
    readonly_fields = fields
    ordering = ("position",)


class CableReferenceInline(ReadOnlyInline):
    model = CableReference
    fields = ("position", "reference_id")
    readonly_fields = fields
    ordering = ("position",)


class CableAliasInline(ReadOnlyInline):
    model = CableAlias
    fields = ("alias",)
    readonly_fields = fields
    verbose_name_plural = "other forms of the reference id (they redirect here)"


@admin.register(Cable)
class CableAdmin(BumpsVersion, admin.ModelAdmin):
    list_display = ("reference_id", "date", "sender", "classification", "subject", "is_partial")
    list_filter = ("classification", "is_partial", "source_format", "date_source")
    search_fields = ("reference_id", "subject")
    date_hierarchy = "date"
    list_select_related = ("sender",)
    list_per_page = 50
    show_full_result_count = False
    inlines = (CableAliasInline, CableTagInline, CableReferenceInline, ParagraphInline)
    # Everything below is derived from the raw text by the importer: editing one
    # field by hand would leave it out of step with the text it came from.
    readonly_fields = (
        "reference_id",
        "date",
        "date_source",
        "sender",
        "classification",
        "caveats",
        "subject",
        "subject_marking",
        "to_recipients",
        "info_recipients",
        "reference_lines",
        "signer",
        "classified_by",
        "declassify_on",
        "precedence",
        "transmission_id",
        "summary",
        "is_partial",
        "source_format",
        "source_name",
        "release_metadata",
        "disagreements",
        "raw_sha256",
        "imported_at",
        "updated_at",
        "raw_text",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "reference_id",
                    "date",
                    "date_source",
                    "sender",
                    "classification",
                    "caveats",
                )
            },
        ),
        (
            "Content",
            {
                "fields": (
                    "subject",
                    "subject_marking",
                    "summary",
                    "is_partial",
                    "reference_lines",
                    "signer",
                )
            },
        ),
        (
            "Routing",
            {"fields": ("to_recipients", "info_recipients", "precedence", "transmission_id")},
        ),
        ("Classification authority", {"fields": ("classified_by", "declassify_on")}),
        (
            "Source",
            {
                "fields": (
                    "source_format",
                    "source_name",
                    "release_metadata",
                    "disagreements",
                    "raw_sha256",
                    "imported_at",
                    "updated_at",
                    "raw_text",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # Cables come in through import_cables and the upload page, never by hand.
        return False

    def get_urls(self):
        # csrf_exempt only so that the size check comes before anything reads the body:
        # upload_view applies csrf_protect itself, right after that check.
        upload = self.admin_site.admin_view(csrf_exempt(self.upload_view))
        return [path("upload/", upload, name="cables_cable_upload"), *super().get_urls()]

    def upload_view(self, request):
        """The upload form. A POST keeps the files and starts their dry run (or import)."""
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied
        if request.method == "POST":
            refusal = uploads.too_big(int(request.META.get("CONTENT_LENGTH") or 0))
            if refusal:
                return self.render_upload_form(request, refusal, status=413)
        return csrf_protect(self.receive_upload)(request)

    def receive_upload(self, request):
        if request.method != "POST":
            return self.render_upload_form(request)
        files = request.FILES.getlist("files")
        if not files:
            return self.render_upload_form(request, "Choose one or more files to upload.", 400)
        import_now = bool(request.POST.get("import_now"))
        uploads.discard_expired()
        record = uploads.save_upload(files, request.user, import_now)
        names = ", ".join(file["name"] for file in record.files)
        self.log_addition(
            request, record, f"Uploaded {names} for {'import' if import_now else 'a dry run'}"
        )
        uploads.start(record, dry_run=not import_now)
        return HttpResponseRedirect(reverse("admin:cables_importrecord_change", args=[record.pk]))

    def render_upload_form(self, request, error="", status=200):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload cables",
            "error": error,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
        }
        return TemplateResponse(request, "admin/cables/cable/upload.html", context, status=status)


@admin.register(Sender)
class SenderAdmin(NamesScopes, admin.ModelAdmin):
    scope_field = "slug"
    list_display = ("name", "code", "slug")
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(NamesScopes, admin.ModelAdmin):
    scope_field = "code"
    list_display = ("code", "description", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "description")


# What a dry run's outcome means: an import's are said as they are.
DRY_RUN_WORDS = {"created": "new", "updated": "changed"}


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Every upload, newest first; its page is the dry run's report, then the import's."""

    list_display = ("__str__", "created_at", "user", "status", "dry_run")
    list_display += ("created", "updated", "unchanged", "failed")
    list_filter = ("status",)
    list_select_related = ("user",)
    outcomes_per_page = 500
    failures_shown = 1000

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm(UPLOAD_PERMISSION)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/confirm/",
                view(self.confirm_view),
                name="cables_importrecord_confirm",
            ),
            path(
                "<path:object_id>/cancel/",
                view(self.cancel_view),
                name="cables_importrecord_cancel",
            ),
            path(
                "<path:object_id>/failures.txt",
                view(self.failures_view),
                name="cables_importrecord_failures",
            ),
            *super().get_urls(),
        ]

    def get_record(self, request, object_id) -> ImportRecord:
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404("No such upload.")
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        return record

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_record(request, object_id)
        words = DRY_RUN_WORDS if record.dry_run else {}
        counts = {}
        for row in record.outcomes.values("file", "status").annotate(n=Count("id")):
            counts.setdefault(row["file"], {})[words.get(row["status"], row["status"])] = row["n"]
        failures = record.outcomes.filter(status="failed")[: self.failures_shown]
        page = Paginator(record.outcomes.all(), self.outcomes_per_page).get_page(
            request.GET.get("page")
        )
        for outcome in page:
            outcome.word = words.get(outcome.status, outcome.status)
            outcome.url = "" if record.dry_run else public_url(outcome)
        stale = uploads.is_stale(record)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{'Dry run' if record.dry_run else 'Import'} of upload {record.pk}",
            "record": record,
            "files": [{**file, "counts": counts.get(file["name"], {})} for file in record.files],
            "failures": failures,
            "more_failures": max(0, record.failed - self.failures_shown),
            "page": page,
            "running": record.status in ImportRecord.RUNNING and not stale,
            "stale": stale,
            "can_decide": request.user.has_perm(UPLOAD_PERMISSION) and uploads.is_waiting(record),
        }
        return TemplateResponse(request, "admin/cables/importrecord/record.html", context)

    def decided_record(self, request, object_id) -> ImportRecord:
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied
        return self.get_record(request, object_id)

    def back_to(self, record):
        return HttpResponseRedirect(reverse("admin:cables_importrecord_change", args=[record.pk]))

    @method_decorator(require_POST)
    def confirm_view(self, request, object_id):
        record = self.decided_record(request, object_id)
        if not uploads.claim_for_import(record):
            messages.error(request, "This upload is not waiting for confirmation.")
            return self.back_to(record)
        self.log_change(request, record, "Confirmed the import")
        uploads.start(record, dry_run=False)
        return self.back_to(record)

    @method_decorator(require_POST)
    def cancel_view(self, request, object_id):
        record = self.decided_record(request, object_id)
        if not uploads.cancel(record):
            messages.error(request, "This upload cannot be cancelled now.")
            return self.back_to(record)
        self.log_change(request, record, "Cancelled: files removed, nothing imported")
        messages.success(request, "Upload cancelled: its files were removed, nothing was imported.")
        return self.back_to(record)

    def failures_view(self, request, object_id):
        """Every failed cable of the upload as a plain text report, one per line."""
        record = self.get_record(request, object_id)
        kind = "dry run" if record.dry_run else "import"
        lines = [
            f"Upload {record.pk} by {record.user or 'a deleted user'} at "
            f"{record.created_at:%Y-%m-%d %H:%M} UTC: {', '.join(f['name'] for f in record.files)}",
            f"{kind}, {record.get_status_display()}: created {record.created}, updated "
            f"{record.updated}, unchanged {record.unchanged}, failed {record.failed}",
            "",
        ]
        for outcome in record.outcomes.filter(status="failed").iterator():
            cable = f" [{outcome.reference_id}]" if outcome.reference_id else ""
            lines.append(f"{outcome.source}{cable}: {outcome.reason}")
        response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="upload-{record.pk}-failures.txt"'
        return response


def public_url(outcome: ImportOutcome) -> str:
    """The cable's public page, for an outcome that stored (or kept) a cable."""
    if outcome.status == "failed" or not outcome.reference_id:
        return ""
    try:
        return reverse("cable_detail", args=[outcome.reference_id])
    except NoReverseMatch:
        return ""
