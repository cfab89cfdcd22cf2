"""The `svg_chart` tag: a chart of core/charts.py as SVG markup."""

from django import template

from core import charts

register = template.Library()


@register.simple_tag
def svg_chart(chart, chart_id, kind, title, description):
    """`{% svg_chart chart "waiting" "age" title description %}`: the chart, its id (for its
    title's and description's ids), its kind (for its boxes' classes), its title and description."""
    return charts.svg(chart, chart_id, kind, title, description)
