"""The supervisors' dashboard's figures as pure arithmetic, against hand-counted examples, and
the charts' layout in both directions."""

import datetime

from django.utils.safestring import SafeString

from core.charts import column_bars, grid, stacked_bars, svg
from core.dashboard import age_band, last_weeks, top_keys, waiting_figures, week_start, weekly_counts, weekly_medians

# December 2020 has no official holiday in these examples; Thursday the 31st is "today".
TODAY = datetime.date(2020, 12, 31)
NO_HOLIDAYS = frozenset()


def day(month, number):
    return datetime.date(2020, month, number)


def test_age_bands_are_0_to_5_6_to_10_and_over_10_working_days():
    assert [age_band(days) for days in (0, 5, 6, 10, 11, 40)] == [0, 0, 1, 1, 2, 2]


def test_waiting_figures_count_each_clock_in_its_band_and_the_overdue():
    clocks = [
        ((day(12, 29), 0), 3),  # Wed 30, Thu 31: 2 working days, due 12 January
        ((day(12, 20), 0), 1),  # 21–24 and 27–31: 9, due Sunday 3 January
        # Back on 13 December after 2 days on the clock: 2 + 14 = 16, due 23 December: late.
        ((day(12, 13), 2), 2),
    ]
    figures = waiting_figures("registration", clocks, 10, TODAY, NO_HOLIDAYS)
    assert figures.by_age == (3, 1, 2)
    assert figures.overdue == 2
    assert figures.total == 6


def test_a_request_due_today_is_not_yet_overdue_and_holidays_are_not_counted():
    # Data updates (5 days): from Thursday 24 December, due Thursday 31: on time today.
    assert waiting_figures("data_update", [((day(12, 24), 0), 1)], 5, TODAY, NO_HOLIDAYS).overdue == 0
    # From Wednesday 23: due Wednesday 30, late; with 27 December a holiday, due on the 31st.
    assert waiting_figures("data_update", [((day(12, 23), 0), 1)], 5, TODAY, NO_HOLIDAYS).overdue == 1
    with_holiday = waiting_figures("data_update", [((day(12, 23), 0), 1)], 5, TODAY, {day(12, 27)})
    assert (with_holiday.by_age, with_holiday.overdue) == ((1, 0, 0), 0)


def test_weeks_begin_on_sunday_and_the_current_week_comes_last():
    assert week_start(day(12, 31)) == day(12, 27)
    assert week_start(day(12, 27)) == day(12, 27)
    assert week_start(day(12, 26)) == day(12, 20)  # Saturday
    weeks = last_weeks(TODAY)
    assert len(weeks) == 12
    assert (weeks[0], weeks[-1]) == (day(10, 11), day(12, 27))


def test_weekly_medians_by_nearest_rank_and_none_for_a_week_without_decisions():
    weeks = [day(12, 13), day(12, 20), day(12, 27)]
    times = [(day(12, 14), 2), (day(12, 16), 5), (day(12, 17), 9), (day(12, 23), 3), (day(11, 1), 40)]
    assert weekly_medians(times, weeks) == [(3, 5), (1, 3), (0, None)]


def test_weekly_counts_add_up_each_key_s_days_into_their_weeks():
    weeks = [day(12, 13), day(12, 20)]
    rows = [("rana", day(12, 14), 2), ("rana", day(12, 19), 1), ("sami", day(12, 22), 4), ("rana", day(11, 2), 7)]
    assert weekly_counts(rows, weeks) == {"rana": [3, 0], "sami": [0, 4]}


def test_top_keys_most_first_ties_by_key():
    assert top_keys({3: 5, 1: 5, 2: 9, 4: 1}, limit=3) == [2, 1, 3]


def test_stacked_bars_are_mirrored_for_a_right_to_left_page():
    rows = [("Registration", [2, 1, 1]), ("Renewal", [0, 0, 2])]
    ltr = stacked_bars(rows, rtl=False, width=640)
    rtl = stacked_bars(rows, rtl=True, width=640)
    # The longest bar (4) fills the scale; every box keeps its number.
    assert [box.value for box in ltr.boxes] == [2, 1, 1, 2]
    first_ltr, first_rtl = ltr.boxes[0], rtl.boxes[0]
    assert first_rtl.x == 640 - first_ltr.x - first_ltr.width
    # The labels stand at the start: the left edge in English, the right edge in Arabic.
    assert (ltr.texts[0].x, rtl.texts[0].x) == (0, 640)
    # Each row's total after its bar.
    assert [text.text for text in ltr.texts] == ["Registration", "4", "Renewal", "2"]


def test_column_bars_write_each_value_and_a_dash_for_none():
    chart = column_bars([3, None, 6], ["1", "2", "3"], rtl=False)
    assert [box.value for box in chart.boxes] == [3, 6]
    assert chart.boxes[1].height == 2 * chart.boxes[0].height
    assert "–" in [text.text for text in chart.texts]
    # In Arabic time runs from the right: the first week's bar is the rightmost.
    mirrored = column_bars([3, None, 6], ["1", "2", "3"], rtl=True)
    assert mirrored.boxes[0].x > mirrored.boxes[1].x


def test_grid_cells_carry_their_numbers_and_four_shades():
    chart = grid([("رنا", [0, 1, 4]), ("سامي", [2, 3, 0])], ["6/12", "13/12", "20/12"], rtl=True)
    assert [(box.value, box.band) for box in chart.boxes] == [(0, 0), (1, 1), (4, 4), (2, 2), (3, 3), (0, 0)]
    assert all(box.text_x is not None for box in chart.boxes)
    assert [box.dark for box in chart.boxes] == [False, False, True, False, True, False]


def test_a_chart_as_svg_escapes_its_labels_and_writes_each_number_in_its_box():
    chart = stacked_bars([("<b>Reem</b> & co", [12, 3])], rtl=True, width=640)
    markup = svg(chart, "waiting", "age", 'Waiting "now"', "3 < 4")
    assert markup.startswith('<svg class="chart" viewBox="0 0 640 46" width="640" height="46" role="img"')
    assert 'aria-labelledby="waiting-title waiting-desc" direction="rtl">' in markup
    assert '<title id="waiting-title">Waiting &quot;now&quot;</title>' in markup
    assert '<desc id="waiting-desc">3 &lt; 4</desc>' in markup
    assert "&lt;b&gt;Reem&lt;/b&gt; &amp; co" in markup
    assert "<b>" not in markup
    first = chart.boxes[0]
    assert (
        f'<rect x="{first.x:.1f}" y="8.0" width="{first.width:.1f}" height="30.0" class="chart-age-0"/>'
        f'<text x="{first.text_x:.1f}" y="28.0" text-anchor="middle" class="chart-value chart-age-0-text">12</text>'
    ) in markup
    assert markup.count("<rect") == 2
    assert markup.endswith("</svg>")


def test_a_chart_as_svg_keeps_a_description_already_escaped_as_it_is():
    """A `blocktranslate asvar` description is safe text whose variables are escaped already: as in
    a template's {{ }}, it is not escaped a second time."""
    chart = stacked_bars([("Registration", [1])], rtl=False)
    description = SafeString("Reem &amp; Sami decided 3")
    markup = svg(chart, "reviewers", "grid", "Decisions", description)
    assert '<desc id="reviewers-desc">Reem &amp; Sami decided 3</desc>' in markup
