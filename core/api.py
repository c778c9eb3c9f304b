"""Pieces every API view may share: errors as JSON whatever was asked for, CSV answers."""

from rest_framework.renderers import BaseRenderer, JSONRenderer


class JsonErrorsMixin:
    """Views that can answer CSV (?format=csv) still answer their errors (403, 404, 400) as JSON."""

    def finalize_response(self, request, response, *args, **kwargs):
        # Also when negotiation itself failed (an unknown ?format=): DRF would fall back to the first renderer.
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and (renderer is None or renderer.format != "json"):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        # Errors (400, 403) come as dicts; a one-column sheet keeps them readable.
        lines = [str(value) for value in (data or {}).values()] if isinstance(data, dict) else [str(data)]
        return "\n".join(lines).encode(self.charset)
