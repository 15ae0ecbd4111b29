"""A test-only endpoint that receives a multipart upload through IncomingFileUploadHandler."""

from django.urls import path
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.files.services import blob_store, upload_check
from konnaxion.files.upload_handler import IncomingFileUploadHandler


class UploadView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    def post(self, request):
        request.upload_handlers = [IncomingFileUploadHandler(request)]
        upload = request.data["file"]
        verified = upload_check(upload=upload)
        blob = blob_store(upload=upload, content_type=verified.content_type)
        return Response(
            {
                "name": verified.file_name.name,
                "title": request.data.get("title"),
                "sha256": blob.sha256,
                "size": blob.size,
                "content_type": blob.content_type,
                "upload_class": type(upload).__name__,
            },
            status=201,
        )


urlpatterns = [path("upload/", UploadView.as_view())]
