"""Upload and download photos."""

from flask import send_file
from flask.views import MethodView
from flask_login import current_user

from app.blueprint import Blueprint
from app.idempotency import idempotent_write
from app.photos.schemas import PhotoOut, PhotoQuery, PhotoUpload
from app.photos.services import photo_file, store_photo, visible_photo

blp = Blueprint("photos", __name__, url_prefix="/api/photos", description="Photos of risk points and hazards")


@blp.route("")
class Photos(MethodView):
    @idempotent_write("photos.create")
    @blp.arguments(PhotoUpload, location="multipart")
    @blp.response(201, PhotoOut)
    @blp.alt_response(200, schema=PhotoOut, description="The same photo was already stored")
    @blp.alt_response(409, description="Idempotency-Key reused with a different file")
    @blp.alt_response(413, description="Too large: bytes (photo_too_large) or pixels (image_too_large)")
    @blp.alt_response(415, description="Not a JPEG, PNG or WebP image, judged by content (not_an_image)")
    def post(self, files):
        """Store one photo (multipart field `file`): checked by content, turned upright, stripped of metadata."""
        photo, created = store_photo(current_user, files["file"].read())
        return photo, 201 if created else 200


@blp.route("/<id:photo_id>")
class PhotoFile(MethodView):
    @blp.arguments(PhotoQuery, location="query")
    @blp.response(200, description="The image, or its JPEG thumbnail", content_type="image/jpeg")
    def get(self, args, photo_id):
        """Return a stored image or its thumbnail, to callers whose scope includes it."""
        path, mimetype = photo_file(visible_photo(current_user, photo_id), args["size"])
        response = send_file(path, mimetype=mimetype, max_age=86400, conditional=True)
        # send_file marks it public; a shared cache must not keep one school's photos for others
        response.cache_control.public = False
        response.cache_control.private = True
        return response
