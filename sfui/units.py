"""The demo's unit converter: length, mass, volume, area, speed, time, data, energy and
temperature, each unit by its usual symbols and names (English, and a few Chinese ones
a visitor may type: 斤, 亩, 公里 ...).

Every unit but the temperatures is a factor of its kind's base unit; temperatures are
converted through kelvin. Plain Python, no dependency.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .calculator import format_number


class UnitError(ValueError):
    """A unit the converter does not know, or two units of different kinds."""


# kind -> {unit: (factor to the base unit, its other names)}; the first unit of each kind is its base.
_FACTORS: dict[str, dict[str, tuple[float, tuple[str, ...]]]] = {
    "length": {
        "m": (1.0, ("meter", "meters", "metre", "metres", "米")),
        "km": (1000.0, ("kilometer", "kilometers", "kilometre", "kilometres", "公里", "千米")),
        "cm": (0.01, ("centimeter", "centimeters", "centimetre", "centimetres", "厘米")),
        "mm": (0.001, ("millimeter", "millimeters", "millimetre", "millimetres", "毫米")),
        "um": (1e-6, ("µm", "micrometer", "micrometers", "micron", "microns", "微米")),
        "nm": (1e-9, ("nanometer", "nanometers", "纳米")),
        "mi": (1609.344, ("mile", "miles", "英里")),
        "yd": (0.9144, ("yard", "yards", "码")),
        "ft": (0.3048, ("foot", "feet", "英尺")),
        "in": (0.0254, ("inch", "inches", "英寸")),
        "nmi": (1852.0, ("nautical mile", "nautical miles", "海里")),
        "li": (500.0, ("市里", "里")),
    },
    "mass": {
        "kg": (1.0, ("kilogram", "kilograms", "kilo", "kilos", "千克", "公斤")),
        "g": (0.001, ("gram", "grams", "克")),
        "mg": (1e-6, ("milligram", "milligrams", "毫克")),
        "t": (1000.0, ("tonne", "tonnes", "metric ton", "metric tons", "吨")),
        "lb": (0.45359237, ("lbs", "pound", "pounds", "磅")),
        "oz": (0.028349523125, ("ounce", "ounces", "盎司")),
        "st": (6.35029318, ("stone", "stones")),
        "jin": (0.5, ("斤", "市斤")),
    },
    "volume": {
        "l": (1.0, ("liter", "liters", "litre", "litres", "升")),
        "ml": (0.001, ("milliliter", "milliliters", "millilitre", "millilitres", "毫升")),
        "m3": (1000.0, ("m³", "cubic meter", "cubic meters", "立方米")),
        "gal": (3.785411784, ("gallon", "gallons", "us gallon", "加仑")),
        "qt": (0.946352946, ("quart", "quarts")),
        "pt": (0.473176473, ("pint", "pints")),
        "cup": (0.2365882365, ("cups",)),
        "floz": (0.0295735295625, ("fl oz", "fluid ounce", "fluid ounces")),
        "tbsp": (0.01478676478125, ("tablespoon", "tablespoons")),
        "tsp": (0.00492892159375, ("teaspoon", "teaspoons")),
    },
    "area": {
        "m2": (1.0, ("m²", "square meter", "square meters", "平方米")),
        "km2": (1e6, ("km²", "square kilometer", "square kilometers", "平方公里", "平方千米")),
        "cm2": (1e-4, ("cm²", "square centimeter", "square centimeters", "平方厘米")),
        "ha": (1e4, ("hectare", "hectares", "公顷")),
        "acre": (4046.8564224, ("acres", "英亩")),
        "ft2": (0.09290304, ("ft²", "sq ft", "square foot", "square feet", "平方英尺")),
        "mi2": (2589988.110336, ("mi²", "sq mi", "square mile", "square miles", "平方英里")),
        "mu": (2000 / 3, ("亩",)),
    },
    "speed": {
        "m/s": (1.0, ("mps", "meters per second", "米每秒")),
        "km/h": (1 / 3.6, ("kmh", "kph", "kilometers per hour", "公里每小时")),
        "mph": (0.44704, ("mi/h", "miles per hour")),
        "kn": (1852 / 3600, ("knot", "knots", "节")),
        "ft/s": (0.3048, ("fps", "feet per second")),
    },
    "time": {
        "s": (1.0, ("sec", "second", "seconds", "秒")),
        "ms": (0.001, ("millisecond", "milliseconds", "毫秒")),
        "min": (60.0, ("minute", "minutes", "分钟")),
        "h": (3600.0, ("hr", "hour", "hours", "小时")),
        "day": (86400.0, ("d", "days", "天")),
        "week": (604800.0, ("wk", "weeks", "周")),
        "year": (31557600.0, ("yr", "years", "年")),  # a Julian year: 365.25 days
    },
    "data": {
        "B": (1.0, ("byte", "bytes", "字节")),
        "bit": (0.125, ("bits",)),
        "KB": (1e3, ("kilobyte", "kilobytes")),
        "MB": (1e6, ("megabyte", "megabytes")),
        "GB": (1e9, ("gigabyte", "gigabytes")),
        "TB": (1e12, ("terabyte", "terabytes")),
        "KiB": (1024.0, ("kibibyte", "kibibytes")),
        "MiB": (1024.0**2, ("mebibyte", "mebibytes")),
        "GiB": (1024.0**3, ("gibibyte", "gibibytes")),
        "TiB": (1024.0**4, ("tebibyte", "tebibytes")),
    },
    "energy": {
        "J": (1.0, ("joule", "joules", "焦耳")),
        "kJ": (1000.0, ("kilojoule", "kilojoules", "千焦")),
        "cal": (4.184, ("calorie", "calories", "卡")),
        "kcal": (4184.0, ("kilocalorie", "kilocalories", "千卡", "大卡")),
        "Wh": (3600.0, ("watt hour", "watt hours")),
        "kWh": (3.6e6, ("kilowatt hour", "kilowatt hours", "度")),
    },
}

# Temperatures: to kelvin and back.
_TEMPERATURES: dict[str, tuple[Callable[[float], float], Callable[[float], float], tuple[str, ...]]] = {
    "K": (lambda k: k, lambda k: k, ("kelvin", "kelvins")),
    "°C": (lambda c: c + 273.15, lambda k: k - 273.15, ("c", "celsius", "degc", "deg c", "摄氏度", "℃")),
    "°F": (lambda f: (f - 32) * 5 / 9 + 273.15, lambda k: (k - 273.15) * 9 / 5 + 32,
           ("f", "fahrenheit", "degf", "deg f", "华氏度", "℉")),
}


def _build_lookup() -> dict[str, tuple[str, str]]:
    """Every name, case-folded, -> (kind, the unit's symbol); the first unit to claim a name keeps it."""
    lookup: dict[str, tuple[str, str]] = {}
    for kind, units in _FACTORS.items():
        for symbol, (_, names) in units.items():
            for name in (symbol, *names):
                lookup.setdefault(name.casefold(), (kind, symbol))
    for symbol, (_, _, names) in _TEMPERATURES.items():
        for name in (symbol, *names):
            lookup.setdefault(name.casefold(), ("temperature", symbol))
    return lookup


_LOOKUP = _build_lookup()
KINDS = (*_FACTORS, "temperature")


def unit(name: str) -> tuple[str, str]:
    """(kind, symbol) of a unit's name as someone writes it; UnitError if unknown."""
    written = " ".join(str(name).strip().split())
    found = _LOOKUP.get(written.casefold()) or _LOOKUP.get(written.removeprefix("°").casefold())
    if found is None:
        raise UnitError(f"unknown unit {written!r}; known kinds: {', '.join(KINDS)}")
    return found


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise UnitError("value must be a finite number")
    (kind, source), (other, target) = unit(from_unit), unit(to_unit)
    if kind != other:
        raise UnitError(f"cannot convert {kind} ({source}) to {other} ({target})")
    if kind == "temperature":
        return _TEMPERATURES[target][1](_TEMPERATURES[source][0](value))
    return value * _FACTORS[kind][source][0] / _FACTORS[kind][target][0]


def conversion(value: float, from_unit: str, to_unit: str) -> str:
    """The conversion as a line: "100 km = 62.1371192237334 mi"."""
    result = convert(value, from_unit, to_unit)
    source, target = unit(from_unit)[1], unit(to_unit)[1]
    # 12 significant digits: the factors' own precision, without float noise.
    return f"{format_number(value)} {source} = {format_number(float(f'{result:.12g}'))} {target}"
