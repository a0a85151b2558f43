from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "baton.documents"
    label = "documents"

    def ready(self) -> None:
        # Who may listen to this app's live channels (the SSE endpoint asks).
        from baton.documents.permissions import may_listen_to_document
        from baton.realtime.channels import register_channel

        register_channel("document", may_listen_to_document)

        # Comments and files on documents: the document's rules (baton/files/owners.py).
        from baton.documents.models import Document
        from baton.documents.services.comments import DOCUMENT_OWNER
        from baton.files.owners import register

        register(Document, DOCUMENT_OWNER)
