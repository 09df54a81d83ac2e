from django import template

from sinergi.ops.share import whatsapp_url

register = template.Library()


@register.simple_tag
def whatsapp(text, phone=""):
    """{% whatsapp text phone %} → a wa.me link for the officer to send by hand."""
    return whatsapp_url(text, phone)
