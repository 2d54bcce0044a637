"""Names of periods as pages show them."""
import pytest
from flask_babel import force_locale

from app.reports.pages import period_label


@pytest.mark.parametrize(("language", "period_id", "label"), [
    ("vi", "2023Q3", "Quý 3/2023"), ("en", "2023Q3", "Quarter 3/2023"),
    # As the district's documents name them, not "the 1st six-month period".
    ("vi", "2023S1", "6 tháng đầu năm 2023"), ("vi", "2023S2", "6 tháng cuối năm 2023"),
    ("en", "2023S1", "First half of 2023"), ("en", "2023S2", "Second half of 2023"),
    ("vi", "202304", "Tháng 4/2023"), ("vi", "2023", "Năm 2023"), ("en", "2023", "Year 2023"),
    ("vi", "not a period", "not a period"),
])
def test_a_period_is_named_in_the_readers_language(app, language, period_id, label):
    with app.test_request_context("/"), force_locale(language):
        assert period_label(period_id) == label
