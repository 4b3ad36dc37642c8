"""Reading the files operators load: the ECB's reference rates and marketing spend. Pure
parsing (no database); every problem is reported with its line, and a file with any problem
is refused whole, so a bad file changes nothing.

ECB files (https://www.ecb.europa.eu/stats/eurofxref/): `eurofxref.csv` (one day,
"12 December 2025") and `eurofxref-hist.csv` (every day since 1999, "2025-12-12"). The header
is `Date, USD, JPY, …` with a trailing comma; a currency not quoted on a day reads "N/A".

Marketing spend: a header `channel,month,amount,currency[,note]`; `month` is `2026-03` (or
`2026-03-01`), `amount` in the currency's major units as a spreadsheet writes it (`1234.56`,
`150000` for yen).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .money import is_currency_code, minor_digits

RATE_DECIMAL_PLACES = 6
RATE_INTEGER_DIGITS = 12
# Far beyond any real budget (10^15 minor units); keeps the row inside a 64-bit integer.
MAX_SPEND_MINOR = 10**15
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


class FileInvalid(ValueError):
    """The file cannot be loaded; `errors` lists every problem with its line number."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class EcbRates:
    rates: list[tuple[datetime.date, str, Decimal]] = field(default_factory=list)
    not_quoted: int = 0  # "N/A" or empty cells

    @property
    def days(self) -> int:
        return len({day for day, _currency, _rate in self.rates})

    @property
    def currencies(self) -> list[str]:
        return sorted({currency for _day, currency, _rate in self.rates})


def _first(errors: list[str], limit: int = 50) -> list[str]:
    """The first `limit` problems, and how many more there are."""
    if len(errors) <= limit:
        return errors
    return [*errors[:limit], f"… and {len(errors) - limit} more."]


def _text(data: bytes | str) -> str:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileInvalid(["The file is not UTF-8 text."]) from None
    if "\x00" in data:
        raise FileInvalid(["The file contains NUL characters."])
    return data.lstrip("\ufeff")


def parse_ecb_date(value: str) -> datetime.date:
    """`2025-12-12` (history file) or `12 December 2025` (daily file)."""
    value = value.strip()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    parts = value.split()
    if len(parts) == 3 and parts[1].lower() in MONTHS and parts[0].isdigit():
        try:
            return datetime.date(int(parts[2]), MONTHS[parts[1].lower()], int(parts[0]))
        except ValueError:
            pass
    raise ValueError(f"“{value[:40]}” is not a date (2025-12-12 or 12 December 2025)")


def parse_rate(value: str) -> Decimal:
    try:
        rate = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"“{value[:40]}” is not a number") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"“{value[:40]}” is not a rate above zero")
    exponent = rate.as_tuple().exponent
    if -exponent > RATE_DECIMAL_PLACES:
        raise ValueError(f"“{value[:40]}” has more than {RATE_DECIMAL_PLACES} decimal places")
    if rate >= Decimal(10) ** RATE_INTEGER_DIGITS:
        raise ValueError(f"“{value[:40]}” is too large for a rate")
    return rate


def parse_ecb_csv(data: bytes | str) -> EcbRates:
    """The rates in an ECB reference-rate CSV file (either format)."""
    rows = list(csv.reader(io.StringIO(_text(data)), skipinitialspace=True))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows or not rows[0] or rows[0][0].strip().lower() != "date":
        raise FileInvalid(["Line 1: the header must start with “Date” (an ECB rates file)."])
    errors: list[str] = []
    columns: list[tuple[int, str]] = []
    for index, name in enumerate(rows[0][1:], start=1):
        name = name.strip()
        if not name:
            continue  # the trailing comma's empty column
        if not is_currency_code(name):
            errors.append(f"Line 1: “{name[:40]}” is not a currency code.")
        elif name == "EUR":
            errors.append("Line 1: EUR is the base currency and has no rate.")
        else:
            columns.append((index, name))
    if len({name for _index, name in columns}) != len(columns):
        errors.append("Line 1: a currency appears twice.")
    parsed = EcbRates()
    seen_days: set[datetime.date] = set()
    for line, row in enumerate(rows[1:], start=2):
        try:
            day = parse_ecb_date(row[0])
        except ValueError as error:
            errors.append(f"Line {line}: {error}.")
            continue
        if day in seen_days:
            errors.append(f"Line {line}: {day.isoformat()} appears twice.")
            continue
        seen_days.add(day)
        for index, currency in columns:
            cell = row[index].strip() if index < len(row) else ""
            if cell.upper() in ("", "N/A"):
                parsed.not_quoted += 1
                continue
            try:
                parsed.rates.append((day, currency, parse_rate(cell)))
            except ValueError as error:
                errors.append(f"Line {line}, {currency}: {error}.")
    if errors:
        raise FileInvalid(_first(errors))
    return parsed


@dataclass(frozen=True, slots=True)
class SpendRow:
    channel: str
    month: datetime.date
    amount: int  # minor units
    currency: str
    note: str


SPEND_COLUMNS = ("channel", "month", "amount", "currency")


def parse_month(value: str) -> datetime.date:
    value = value.strip()
    try:
        if len(value) == 7:
            return datetime.date.fromisoformat(f"{value}-01")
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"“{value[:40]}” is not a month (2026-03)") from None
    if day.day != 1:
        raise ValueError(f"“{value[:40]}” is not a month's first day (2026-03 or 2026-03-01)")
    return day


def parse_amount(value: str, currency: str) -> int:
    """A major-unit amount (`1234.56`) in minor units of `currency`, exactly."""
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"“{value[:40]}” is not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"“{value[:40]}” is not an amount of zero or more")
    minor = amount.scaleb(minor_digits(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"“{value[:40]}” has more decimals than {currency} has")
    if minor > MAX_SPEND_MINOR:
        raise ValueError(f"“{value[:40]}” is too large")
    return int(minor)


def parse_spend_csv(data: bytes | str) -> list[SpendRow]:
    """The rows of a marketing-spend CSV file."""
    reader = csv.DictReader(io.StringIO(_text(data)), skipinitialspace=True)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in SPEND_COLUMNS if name not in header]
    if missing:
        raise FileInvalid(
            [
                f"Line 1: the header needs the columns {', '.join(SPEND_COLUMNS)}[, note]; "
                f"missing: {', '.join(missing)}."
            ]
        )
    reader.fieldnames = header
    errors: list[str] = []
    rows: list[SpendRow] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    for line, raw in enumerate(reader, start=2):
        cells = {key: (value or "").strip() for key, value in raw.items() if key}
        if not any(cells.values()):
            continue
        problems = []
        channel = cells.get("channel", "")
        if not channel or len(channel) > 100:
            problems.append("the channel must have 1 to 100 characters")
        currency = cells.get("currency", "").upper()
        if not is_currency_code(currency):
            problems.append(f"“{currency[:40]}” is not a currency code")
        note = cells.get("note", "")
        if len(note) > 300:
            problems.append("the note is longer than 300 characters")
        month = amount = None
        try:
            month = parse_month(cells.get("month", ""))
        except ValueError as error:
            problems.append(str(error))
        if is_currency_code(currency):
            try:
                amount = parse_amount(cells.get("amount", ""), currency)
            except ValueError as error:
                problems.append(str(error))
        if month is not None and channel:
            first = seen.setdefault((channel, month), line)
            if first != line:
                problems.append(f"{channel} in {month:%Y-%m} is already on line {first}")
        if problems:
            errors.append(f"Line {line}: {'; '.join(problems)}.")
            continue
        rows.append(SpendRow(channel, month, amount, currency, note))
    if errors:
        raise FileInvalid(_first(errors))
    return rows
