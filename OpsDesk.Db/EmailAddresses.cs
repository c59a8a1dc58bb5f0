using System.Net.Mail;

namespace OpsDesk.Db;

/// <summary>The one check of an email address (requester emails, agent emails): a plain address with a dotted domain.</summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;

    public static bool IsValid(string? email)
    {
        if (string.IsNullOrEmpty(email) || email.Length > MaxLength || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return false;
        if (!MailAddress.TryCreate(email, out var parsed) || !string.Equals(parsed.Address, email, StringComparison.Ordinal))
            return false;
        var at = email.LastIndexOf('@');
        var domain = email[(at + 1)..];
        return at > 0 && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.');
    }
}
