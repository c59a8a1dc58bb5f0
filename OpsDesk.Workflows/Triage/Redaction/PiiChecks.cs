namespace OpsDesk.Workflows.Triage.Redaction;

/// <summary>Checksums that tell real card numbers and IBANs from look-alike digit runs.</summary>
public static class PiiChecks
{
    /// <summary>Luhn (mod 10) over the digits of <paramref name="value"/>; other characters are ignored.</summary>
    public static bool IsLuhnValid(ReadOnlySpan<char> value)
    {
        var sum = 0;
        var count = 0;
        for (var i = value.Length - 1; i >= 0; i--)
        {
            var c = value[i];
            if (!char.IsAsciiDigit(c))
                continue;
            var d = c - '0';
            if (count % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }

            sum += d;
            count++;
        }

        return count > 0 && sum % 10 == 0;
    }

    /// <summary>ISO 13616 check: two letters, two check digits, then 11–30 alphanumerics, mod 97 == 1.</summary>
    public static bool IsIbanValid(ReadOnlySpan<char> value)
    {
        Span<char> compact = stackalloc char[64];
        var n = 0;
        foreach (var c in value)
        {
            if (c is ' ' or '-')
                continue;
            if (!char.IsAsciiLetterOrDigit(c) || n == compact.Length)
                return false;
            compact[n++] = char.ToUpperInvariant(c);
        }

        if (n is < 15 or > 34 || !char.IsAsciiLetter(compact[0]) || !char.IsAsciiLetter(compact[1])
            || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
            return false;

        // Move the first four characters to the end and read letters as 10..35, in chunks small enough for int.
        var remainder = 0;
        for (var i = 0; i < n; i++)
        {
            var c = compact[(i + 4) % n];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else
            {
                var v = c - 'A' + 10;
                remainder = ((remainder * 100) + v) % 97;
            }
        }

        return remainder == 1;
    }

    /// <summary>The number of ASCII digits in <paramref name="value"/>.</summary>
    public static int CountDigits(ReadOnlySpan<char> value)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
                count++;
        }

        return count;
    }

    /// <summary>Only the ASCII digits of <paramref name="value"/>.</summary>
    public static string DigitsOnly(ReadOnlySpan<char> value)
    {
        var result = new char[CountDigits(value)];
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
                result[n++] = c;
        }

        return new string(result);
    }
}
