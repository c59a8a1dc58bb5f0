using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpsDesk.Workflows.Triage.Redaction;

/// <summary>
/// Replaces personal data in the text of one ticket with stable placeholders ([EMAIL_1], [PHONE_1],
/// [CARD_1], [UPI_1], [IBAN_1], [AADHAAR_1], [PAN_1], [SSN_1], [NINO_1]) and maps them back afterwards.
/// Use one instance per ticket: the same value gets the same placeholder across subject and description.
/// Not thread-safe.
/// </summary>
public sealed class PiiRedactor
{
    private const string Email = "EMAIL";
    private const string Upi = "UPI";
    private const string Iban = "IBAN";
    private const string Card = "CARD";
    private const string Aadhaar = "AADHAAR";
    private const string Ssn = "SSN";
    private const string Pan = "PAN";
    private const string Nino = "NINO";
    private const string Phone = "PHONE";

    private readonly Dictionary<string, string> placeholderByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> originalByPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> countByKind = new(StringComparer.Ordinal);

    /// <summary>Placeholder → the original text it replaced (the first spelling seen).</summary>
    public IReadOnlyDictionary<string, string> Originals => originalByPlaceholder;

    /// <summary>Returns <paramref name="text"/> with every detected personal value replaced by its placeholder.</summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
            return text;

        // Order matters: emails before UPI ids (a UPI id is an email without a TLD), IBANs and cards before
        // the shorter number shapes, and phones last so they never eat part of a longer identifier.
        text = PiiPatterns.Email().Replace(text, m => Assign(Email, m.Value, m.Value.ToLowerInvariant()));
        text = PiiPatterns.UpiId().Replace(text, m => Assign(Upi, m.Value, m.Value.ToLowerInvariant()));
        text = RedactIbans(text);
        text = PiiPatterns.DigitRun().Replace(text, RedactCards);
        text = PiiPatterns.AadhaarGrouped().Replace(text, m => Assign(Aadhaar, m.Value, PiiChecks.DigitsOnly(m.Value)));
        text = PiiPatterns.AadhaarAfterKeyword().Replace(text, m => Assign(Aadhaar, m.Value, m.Value));
        text = PiiPatterns.SsnDashed().Replace(text, m => Assign(Ssn, m.Value, PiiChecks.DigitsOnly(m.Value)));
        text = PiiPatterns.SsnAfterKeyword().Replace(text, m => Assign(Ssn, m.Value, m.Value));
        text = PiiPatterns.Pan().Replace(text, m => Assign(Pan, m.Value, m.Value.ToUpperInvariant()));
        text = PiiPatterns.UkNino().Replace(text, m => Assign(Nino, m.Value, m.Value.Replace(" ", "", StringComparison.Ordinal)));
        text = PiiPatterns.PhoneInternational().Replace(text, m => PhoneIfDigits(m, 8, 15));
        text = PiiPatterns.PhoneUsParenthesized().Replace(text, m => PhoneIfDigits(m, 10, 11));
        text = PiiPatterns.PhoneUsDashed().Replace(text, m => PhoneIfDigits(m, 10, 10));
        text = PiiPatterns.PhoneIndia().Replace(text, m => PhoneIfDigits(m, 10, 12));
        text = PiiPatterns.PhoneNational().Replace(text, m => PhoneIfDigits(m, 9, 11));
        return text;
    }

    /// <summary>Puts the original values back in place of every placeholder this instance assigned.</summary>
    public string Restore(string text)
    {
        if (string.IsNullOrEmpty(text) || originalByPlaceholder.Count == 0)
            return text;
        return PiiPatterns.Placeholder().Replace(text, m =>
        {
            var key = $"[{m.Groups["kind"].Value}_{m.Groups["n"].Value}]";
            return originalByPlaceholder.TryGetValue(key, out var original) ? original : m.Value;
        });
    }

    private string PhoneIfDigits(Match m, int min, int max)
    {
        var digits = PiiChecks.DigitsOnly(m.Value);
        if (digits.Length < min || digits.Length > max)
            return m.Value;
        // The same Indian mobile written with +91, 0 or nothing in front gets one placeholder.
        var key = digits.Length switch
        {
            12 when digits.StartsWith("91", StringComparison.Ordinal) => digits[2..],
            11 when digits[0] == '0' => digits[1..],
            _ => digits,
        };
        return Assign(Phone, m.Value, key);
    }

    private string RedactIbans(string text)
    {
        // Groups after the country code may run on into ordinary words, so take the longest prefix of a
        // candidate that checks out; when none does, look again one character later (another IBAN may follow).
        StringBuilder? result = null;
        var copied = 0;
        var position = 0;
        while (position < text.Length)
        {
            var m = PiiPatterns.IbanCandidate().Match(text, position);
            if (!m.Success)
                break;
            var length = ValidIbanPrefixLength(m.Value);
            if (length == 0)
            {
                position = m.Index + 1;
                continue;
            }

            var iban = text.Substring(m.Index, length);
            var key = iban.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, m.Index - copied).Append(Assign(Iban, iban, key));
            copied = position = m.Index + length;
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    private static int ValidIbanPrefixLength(string candidate)
    {
        for (var end = candidate.Length; end > 0; end = candidate.LastIndexOf(' ', end - 1))
        {
            if (PiiChecks.IsIbanValid(candidate.AsSpan(0, end)))
                return end;
        }

        return 0;
    }

    private string RedactCards(Match m)
    {
        var value = m.Value;
        if (PiiChecks.CountDigits(value) < 13)
            return value;

        // Groups of digits with their positions; a card is a run of whole consecutive groups.
        var groups = new List<(int Start, int End, int Digits)>();
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || !char.IsAsciiDigit(value[i]))
            {
                groups.Add((start, i, i - start));
                start = i + 1;
            }
        }

        var result = new StringBuilder(value.Length);
        var copied = 0;
        var g = 0;
        while (g < groups.Count)
        {
            var found = -1;
            var digits = 0;
            for (var last = g; last < groups.Count && digits <= 19; last++)
            {
                digits += groups[last].Digits;
                if (digits is >= 13 and <= 19
                    && PiiChecks.IsLuhnValid(value.AsSpan(groups[g].Start, groups[last].End - groups[g].Start)))
                    found = last; // keep looking for a longer valid window
            }

            if (found < 0)
            {
                g++;
                continue;
            }

            var cardStart = groups[g].Start;
            var cardEnd = groups[found].End;
            var card = value[cardStart..cardEnd];
            result.Append(value, copied, cardStart - copied).Append(Assign(Card, card, PiiChecks.DigitsOnly(card)));
            copied = cardEnd;
            g = found + 1;
        }

        if (copied == 0)
            return value;
        return result.Append(value, copied, value.Length - copied).ToString();
    }

    private string Assign(string kind, string original, string key)
    {
        var fullKey = kind + ":" + key;
        if (placeholderByKey.TryGetValue(fullKey, out var existing))
            return existing;
        var n = countByKind.TryGetValue(kind, out var c) ? c + 1 : 1;
        countByKind[kind] = n;
        var placeholder = "[" + kind + "_" + n.ToString(CultureInfo.InvariantCulture) + "]";
        placeholderByKey[fullKey] = placeholder;
        originalByPlaceholder[placeholder] = original;
        return placeholder;
    }
}
