using System.Text.RegularExpressions;

namespace OpsDesk.Workflows.Triage.Redaction;

/// <summary>
/// Candidate patterns for personal data in ticket text. Several are deliberately loose and are
/// confirmed by <see cref="PiiRedactor"/> with a checksum (cards: Luhn, IBANs: mod 97) or a digit count.
/// </summary>
public static partial class PiiPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>local@domain.tld — the dot-TLD after the @ is what tells an email from a UPI handle.</summary>
    [GeneratedRegex(@"(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w\-])", Options)]
    public static partial Regex Email();

    /// <summary>A UPI id (VPA): name@bank with no dot-TLD after the handle, e.g. ravi.k@okaxis, 98xxxxxx@ybl.</summary>
    [GeneratedRegex(@"(?<![\w.\-])[A-Za-z0-9][A-Za-z0-9._\-]{1,255}@[A-Za-z][A-Za-z0-9]{1,63}(?![\w\-@])(?!\.[A-Za-z0-9])", Options)]
    public static partial Regex UpiId();

    /// <summary>Country code and check digits, then space-separated groups; the redactor finds the valid prefix.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]*(?: [A-Za-z0-9]{1,34}){0,10}", Options)]
    public static partial Regex IbanCandidate();

    /// <summary>Runs of digits joined by single spaces or dashes; the redactor looks for a Luhn-valid 13–19 digit window.</summary>
    [GeneratedRegex(@"(?<![\w\-])[0-9]+(?:[ \-][0-9]+)*", Options)]
    public static partial Regex DigitRun();

    /// <summary>Aadhaar written 4-4-4 (first digit 2–9), not part of a longer digit group.</summary>
    [GeneratedRegex(@"(?<![\w\-])(?<![0-9][ \-])[2-9][0-9]{3}[ \-][0-9]{4}[ \-][0-9]{4}(?!\w)(?![ \-][0-9])", Options)]
    public static partial Regex AadhaarGrouped();

    /// <summary>Twelve digits in a row right after the word Aadhaar (or UID).</summary>
    [GeneratedRegex(@"(?<=\b(?:aadhaa?r|uid|uidai)\b[^0-9\n]{0,24})[2-9][0-9]{11}(?![0-9])", Options | RegexOptions.IgnoreCase)]
    public static partial Regex AadhaarAfterKeyword();

    /// <summary>US SSN 123-45-6789.</summary>
    [GeneratedRegex(@"(?<![\w\-])[0-9]{3}-[0-9]{2}-[0-9]{4}(?![\w\-])", Options)]
    public static partial Regex SsnDashed();

    /// <summary>Nine digits in a row right after the word SSN.</summary>
    [GeneratedRegex(@"(?<=\bssn\b[^0-9\n]{0,16})[0-9]{9}(?![0-9])", Options | RegexOptions.IgnoreCase)]
    public static partial Regex SsnAfterKeyword();

    /// <summary>Indian PAN: five letters, four digits, one letter (ABCDE1234F).</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z]{5}[0-9]{4}[A-Za-z](?![A-Za-z0-9])", Options)]
    public static partial Regex Pan();

    /// <summary>UK National Insurance number (AB123456C, optionally spaced), with the invalid prefixes excluded.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?![A-Za-z0-9])", Options)]
    public static partial Regex UkNino();

    /// <summary>International format +CC followed by groups (+44 20 7946 0958, +1 (646) 555 0123); 8–15 digits.</summary>
    [GeneratedRegex(@"(?<![\w+])\+[1-9][0-9]{0,2}(?:[ .\-]?(?:\([0-9]{1,5}\)|[0-9]{1,5})){1,6}(?![0-9])", Options)]
    public static partial Regex PhoneInternational();

    /// <summary>US (415) 555-0132, optionally with a leading 1.</summary>
    [GeneratedRegex(@"(?<!\w)(?:\+?1[ .\-]?)?\([0-9]{3}\)[ .\-]?[0-9]{3}[ .\-][0-9]{4}(?![0-9])", Options)]
    public static partial Regex PhoneUsParenthesized();

    /// <summary>US 212-555-0147 or 212.555.0147.</summary>
    [GeneratedRegex(@"(?<![\w\-.])[0-9]{3}(?<sep>[.\-])[0-9]{3}\k<sep>[0-9]{4}(?![\w\-]|\.[0-9])", Options)]
    public static partial Regex PhoneUsDashed();

    /// <summary>Indian mobile: ten digits starting 6–9 (98765 43210, 9876543210), optionally after 0 or 91.</summary>
    [GeneratedRegex(@"(?<![\w+\-])(?:(?:\+?91|0)[ \-]?)?[6-9][0-9]{4}[ \-]?[0-9]{5}(?![\w@])", Options)]
    public static partial Regex PhoneIndia();

    /// <summary>National numbers with a trunk 0 (020 7946 0958, 030 123456, 06 12 34 56 78); 9–11 digits.</summary>
    [GeneratedRegex(@"(?<![\w+\-])(?<![0-9][ \-/])0[0-9]{1,4}(?:[ /\-][0-9]{2,8}){1,4}(?!\w)(?![ \-][0-9])", Options)]
    public static partial Regex PhoneNational();

    /// <summary>A placeholder written by <see cref="PiiRedactor"/>, tolerating missing brackets.</summary>
    [GeneratedRegex(@"\[?(?<![A-Za-z])(?<kind>EMAIL|UPI|IBAN|CARD|AADHAAR|SSN|PAN|NINO|PHONE)_(?<n>[0-9]{1,4})(?![0-9])\]?", Options)]
    public static partial Regex Placeholder();
}
