"""Upload and download photos."""

from flask import send_file
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.photos.schemas import PhotoOut, PhotoUpload
from app.photos.services import photo_path, store_photo, visible_photo

blp = Blueprint("photos", __name__, url_prefix="/api/photos", description="Photos of risk points and hazards")


@blp.route("")
class Photos(MethodView):
    @blp.arguments(PhotoUpload, location="files")
    @blp.response(201, PhotoOut)
    @blp.alt_response(200, schema=PhotoOut, description="The same photo was already stored")
    @blp.alt_response(413, description="Too large")
    @blp.alt_response(415, description="Not a JPEG, PNG or WebP image")
    def post(self, files):
        """Store one photo (multipart field `file`); images only, judged by content."""
        photo, created = store_photo(current_user, files["file"].read())
        return photo, 201 if created else 200


@blp.route("/<int:photo_id>")
class PhotoFile(MethodView):
    @blp.response(200, description="The image", content_type="image/jpeg")
    def get(self, photo_id):
        """Return a stored image, to callers whose scope includes it."""
        photo = visible_photo(current_user, photo_id)
        response = send_file(photo_path(photo), mimetype=photo.content_type, max_age=86400, conditional=True)
        response.cache_control.private = True
        return response
