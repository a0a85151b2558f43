"""The console mail backend of `make run` without an SMTP server: mails printed as people read
them (Django's own prints the encoded message, whose Chinese body is base64), so a newcomer can
follow an invitation or password-reset link from the terminal."""

from django.core.mail.backends.console import EmailBackend

RULE = "-" * 79


class ConsoleBackend(EmailBackend):
    def write_message(self, message) -> None:
        lines = [RULE, f"From: {message.from_email}", f"To: {', '.join(message.to)}"]
        if message.cc:
            lines.append(f"Cc: {', '.join(message.cc)}")
        lines += [f"Subject: {message.subject}", "", message.body.rstrip()]
        extras = [
            f"({alternative[1]} version not shown)"  # (content, mimetype)
            for alternative in getattr(message, "alternatives", [])
        ]
        extras += [f"(attachment: {self._name(attachment)})" for attachment in message.attachments]
        if extras:
            lines += ["", *extras]
        lines.append(RULE)
        self.stream.write("\n".join(lines) + "\n")

    @staticmethod
    def _name(attachment) -> str:
        """An EmailAttachment (filename, content, mimetype) or a MIME part."""
        if hasattr(attachment, "get_filename"):
            return attachment.get_filename() or "unnamed"
        return attachment[0] or "unnamed"
