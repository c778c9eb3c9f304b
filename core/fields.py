"""Form fields that carry the project's input rules to every page form."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from core.dates import EARLIEST, LATEST, RANGE_MESSAGE

# Pages and the API check a typed day with the same validators.
DAY_VALIDATORS = [MinValueValidator(EARLIEST, message=RANGE_MESSAGE), MaxValueValidator(LATEST, message=RANGE_MESSAGE)]


class DayField(forms.DateField):
    """A date typed on a page, within the days the service works with."""

    def __init__(self, **kwargs):
        # A date input takes and shows ISO days only, whatever the page's locale formats dates as.
        kwargs.setdefault(
            "widget", forms.DateInput(attrs={"type": "date", "min": EARLIEST, "max": LATEST}, format="%Y-%m-%d")
        )
        super().__init__(**kwargs)
        self.validators += DAY_VALIDATORS
