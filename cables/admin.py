from django.contrib import admin

from .models import Cable, CableReference, CableTag, Paragraph, Sender, Tag


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


@admin.register(Cable)
class CableAdmin(admin.ModelAdmin):
    list_display = ("reference_id", "date", "sender", "classification", "subject", "is_partial")
    list_filter = ("classification", "is_partial", "source_format", "date_source")
    search_fields = ("reference_id", "subject")
    date_hierarchy = "date"
    list_select_related = ("sender",)
    list_per_page = 50
    show_full_result_count = False
    inlines = (CableTagInline, CableReferenceInline, ParagraphInline)
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
        ("Content", {"fields": ("subject", "summary", "is_partial", "reference_lines", "signer")}),
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
                    "raw_sha256",
                    "imported_at",
                    "updated_at",
                    "raw_text",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # Cables come in through import_cables (and the upload page), never by hand.
        return False


@admin.register(Sender)
class SenderAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "slug")
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "description")
