"""Charts shared by the dashboards and the documents: red marks the wrong side of the line, whichever way is good."""
from indicators.charts import bar_chart

RED = "#dc3545"


def bars(svg):
    return [part.split("fill='")[1][:7] for part in svg.split("<rect")[1:]]


def test_bars_short_of_the_line_are_red_and_the_line_is_named():
    svg = bar_chart([("А", 40), ("Б", 60), ("В", None)], target=50, title="D1")
    assert bars(svg) == [RED, bars(svg)[1]] and bars(svg)[1] != RED
    assert "цель 50,0 %" in svg and "нет данных" in svg


def test_when_less_is_better_bars_above_the_line_are_red():
    svg = bar_chart([("А", 40), ("Б", 60)], target=50, higher_is_better=False, target_label="регион")
    assert bars(svg)[0] != RED and bars(svg)[1] == RED
    assert "регион 50,0 %" in svg and "цель" not in svg
