from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    name = "sinergi.unions"
    label = "unions"
    verbose_name = _("Unions")

    def ready(self):
        # Scoping (in core, below unions) needs the union hierarchy; unions provides it.
        from sinergi.core.scoping import register_union_subtree
        from sinergi.unions.selectors import union_body_subtree_ids

        register_union_subtree(union_body_subtree_ids)
