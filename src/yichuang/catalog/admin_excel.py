"""Excel import/export buttons and pages for the catalogue admin (filled in by the Excel work)."""


class CatalogExcelAdminMixin:
    """Mixed into ServiceItemAdmin: adds the import and export pages."""
