"""Forms for the videos pages. They shape input; videos.services decides what is valid.

The video form is generated from the template's fields. Values go to the services as
entered, and the services' translated errors are put back on the matching inputs. One module
per page area, as in videos/views/.
"""

from .brand_kits import BrandKitForm, BrandKitPreviewForm
from .exports import ExportForm
from .library import TemplateFilterForm
from .review import CommentEditForm, CommentForm, CommentResolveForm, ReviewDecisionForm
from .schedules import MarkPublishedForm, RescheduleForm, ScheduleForm, SkipPostForm
from .versions import RestoreForm
from .videos import BrandingForm, VideoFilterForm, VideoForm

__all__ = [
    "BrandKitForm",
    "BrandKitPreviewForm",
    "BrandingForm",
    "CommentEditForm",
    "CommentForm",
    "CommentResolveForm",
    "ExportForm",
    "MarkPublishedForm",
    "RescheduleForm",
    "RestoreForm",
    "ReviewDecisionForm",
    "ScheduleForm",
    "SkipPostForm",
    "TemplateFilterForm",
    "VideoFilterForm",
    "VideoForm",
]
