"""The СНИЛС: its digits as typed, its control number (the Pension Fund rule) and its display — written once,
for the model's validator, the teacher form, the staff import, the demo district and the tests' factories."""
import re
import unicodedata

from django.core.exceptions import ValidationError

# Numbers up to 001-001-998 were issued before the control number existed: any control passes for them.
UNCHECKED_UP_TO = 1_001_998


def normalize_snils(value):
    """Digits of a СНИЛС as typed ('123-456-789 64', '12345678964'), in ASCII; '' for empty. Other scripts'
    digits (fullwidth «１２３», Arabic-Indic) become ASCII ones: kept as they were, the same number typed
    two ways was two different stored СНИЛС, and the uniqueness of a person's СНИЛС did not hold."""
    if value is None:
        return ""
    return "".join(str(unicodedata.decimal(c)) for c in re.findall(r"\d", str(value)))


def snils_control(number):
    """The control number (0–99) of the 9-digit `number`: Σ digit × weight (9…1), mod 101, 100 and 101 → 0."""
    total = sum(int(d) * w for d, w in zip(number, range(9, 0, -1)))
    if total < 100:
        return total
    return total % 101 % 100


def snils_with_control(number):
    """The 11 digits of the 9-digit `number` followed by its control number."""
    return f"{number}{snils_control(number):02d}"


def snils_checksum_ok(digits):
    """Does the control number of these 11 digits match (numbers up to 001-001-998 are not checked)?"""
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()):
        return False
    number, control = digits[:9], int(digits[9:])
    return int(number) <= UNCHECKED_UP_TO or snils_control(number) == control


def validate_snils(value):
    """The model's and the form's validator: empty, or 11 digits with a matching control number."""
    digits = normalize_snils(value)
    if not digits:
        return
    if len(digits) != 11:
        raise ValidationError("СНИЛС должен содержать 11 цифр.", code="snils_length")
    if not snils_checksum_ok(digits):
        raise ValidationError("Неверная контрольная сумма СНИЛС — проверьте номер.", code="snils_checksum")


def format_snils(digits):
    """'123-456-789 64' for 11 digits, anything else as it is."""
    if len(digits) != 11:
        return digits
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"
