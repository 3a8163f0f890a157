from django.urls import path

from jianbao.bulletins.views import entries, files, fitting, issues, series, signing

app_name = "bulletins"

urlpatterns = [
    path("", issues.issue_list, name="list"),
    path("new/", issues.issue_create, name="create"),
    path("series/", series.series_list, name="series_list"),
    path("series/new/", series.series_create, name="series_create"),
    path("series/<int:pk>/edit/", series.series_edit, name="series_edit"),
    path("<int:pk>/", issues.issue_detail, name="detail"),
    path("<int:pk>/read/", issues.issue_read, name="read"),
    path("<int:pk>/header/", issues.issue_header, name="header"),
    path("<int:pk>/footer/", issues.issue_footer, name="footer"),
    path("<int:pk>/transition/", issues.issue_transition, name="transition"),
    path("<int:pk>/sign/", signing.issue_sign, name="sign"),
    path("<int:pk>/correction/", issues.issue_correction, name="correction"),
    path("<int:pk>/add/", entries.add_submissions, name="add_submissions"),
    path("<int:pk>/merge/", entries.merge_submissions, name="merge"),
    path("<int:pk>/merge/editor/", entries.merge_editor, name="merge_editor"),
    path("<int:pk>/entries/new/", entries.create_entry, name="create_entry"),
    path("<int:pk>/entries/order/", entries.reorder_entries, name="reorder_entries"),
    path("<int:pk>/entries/<int:entry_pk>/edit/", entries.edit_entry, name="edit_entry"),
    path("<int:pk>/entries/<int:entry_pk>/move/", entries.move_entry, name="move_entry"),
    path("<int:pk>/entries/<int:entry_pk>/remove/", entries.remove_entry, name="remove_entry"),
    path("<int:pk>/preview.pdf", files.preview_pdf, name="preview_pdf"),
    path("<int:pk>/page-fit/", fitting.issue_page_fit, name="page_fit"),
    path("<int:pk>/download/<str:fmt>/", files.download, name="download"),
]
