"""The document page's side and comments, and a task panel's documents section, each reading its
own data: the pages that include them (documents/document.html, projects/task_detail.html) stay
as they are and pass only the object."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from baton.documents import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def document_side_data(context, document) -> dict:
    return queries.side_context(context["request"].user, document)


@register.simple_tag(takes_context=True)
def document_comments_data(context, document) -> dict:
    return queries.comments_context(context["request"].user, document)


@register.simple_tag(takes_context=True)
def task_documents(context, task) -> SafeString:
    request = context["request"]
    section = queries.task_documents_context(request.user, task)
    section["errors"] = {}
    return render_to_string("documents/_task_documents.html", section, request=request)
