from django.urls import path

from sinergi.eorder import views

app_name = "eorder"
urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/act/", views.order_action, name="order_action"),
    path("orders/<int:pk>/invoice.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("orders/<int:pk>/delivery-photo/", views.delivery_photo, name="delivery_photo"),
    path("vendors/", views.vendor_list, name="vendor_list"),
    path("vendors/new/", views.vendor_new, name="vendor_new"),
    path("vendors/<int:pk>/", views.vendor_detail, name="vendor_detail"),
    path("vendors/<int:pk>/act/", views.vendor_action, name="vendor_action"),
    path("items/<int:pk>/photo/", views.item_photo, name="item_photo"),
    path("ceilings/", views.ceiling_list, name="ceilings"),
    path("reports/", views.reports, name="reports"),
    path("reports/export/", views.reports_export, name="reports_export"),
    # the vendor's pages: a signed link, no login
    path("v/<str:token>/", views.offer, name="offer"),
    path("my/<str:token>/", views.vendor_orders, name="vendor_orders"),
]

SCOPED_DETAIL_URLS = {
    "order_detail": ("eorder.Order", "sinergi.eorder.selectors.order_scope"),
    "order_action": ("eorder.Order", "sinergi.eorder.selectors.order_scope"),
    "invoice_pdf": ("eorder.Order", "sinergi.eorder.selectors.order_scope", {"may_404": True}),
    "delivery_photo": ("eorder.Order", "sinergi.eorder.selectors.order_scope", {"may_404": True}),
    "vendor_detail": ("eorder.Vendor", "sinergi.eorder.selectors.vendor_scope"),
    "vendor_action": ("eorder.Vendor", "sinergi.eorder.selectors.vendor_scope"),
}
