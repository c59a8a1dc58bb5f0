using System.Security.Cryptography;
using System.Text;
using OpsDesk.Db;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Api.Tickets;

/// <summary>Validation and normalisation of ticket input. Errors are keyed by the JSON field name.</summary>
public static class TicketValidation
{
    public const int SubjectMax = 200;
    public const int DescriptionMax = 10_000;
    public const int EmailMax = EmailAddresses.MaxLength;
    public const int IdempotencyKeyMax = 200;

    public static Dictionary<string, string[]> Validate(CreateTicketRequest request, out NewTicket? ticket, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var subject = request.Subject?.Trim();
        var description = request.Description?.Trim();
        var source = request.Source?.Trim();
        var email = string.IsNullOrWhiteSpace(request.RequesterEmail) ? null : request.RequesterEmail.Trim();

        if (string.IsNullOrEmpty(subject))
            errors["subject"] = ["subject is required."];
        else if (subject.Length > SubjectMax)
            errors["subject"] = [$"subject must be at most {SubjectMax} characters (got {subject.Length})."];
        else if (HasNul(subject))
            errors["subject"] = [NulMessage("subject")];

        if (string.IsNullOrEmpty(description))
            errors["description"] = ["description is required."];
        else if (description.Length > DescriptionMax)
            errors["description"] = [$"description must be at most {DescriptionMax} characters (got {description.Length})."];
        else if (HasNul(description))
            errors["description"] = [NulMessage("description")];

        if (string.IsNullOrEmpty(source))
            errors["source"] = ["source is required."];
        else if (!TicketSources.All.Contains(source, StringComparer.Ordinal))
            errors["source"] = [$"source must be one of: {string.Join(", ", TicketSources.All)}."];

        if (request.RequesterEmail is not null && !IsValidEmail(email))
            errors["requesterEmail"] = ["requesterEmail must be a valid email address."];

        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > IdempotencyKeyMax)
                errors["Idempotency-Key"] = [$"Idempotency-Key must be 1–{IdempotencyKeyMax} characters."];
            else if (idempotencyKey.Any(c => c < 0x21 || c > 0x7e))
                errors["Idempotency-Key"] = ["Idempotency-Key must be printable ASCII without spaces."];
        }

        ticket = errors.Count > 0
            ? null
            : new NewTicket(subject!, description!, source!, email, idempotencyKey, idempotencyKey is null ? null : Hash(subject!, description!, source!, email));
        return errors;
    }

    /// <summary>PostgreSQL text cannot hold U+0000; refuse it here instead of failing in the database.</summary>
    internal static bool HasNul(string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal);

    internal static string NulMessage(string field) => $"{field} must not contain NUL (U+0000) characters.";

    internal static bool IsValidEmail(string? email) => EmailAddresses.IsValid(email);

    /// <summary>Hash of the normalised request, so the same ticket sent with other JSON spacing still matches.</summary>
    private static byte[] Hash(string subject, string description, string source, string? email)
    {
        var canonical = string.Join('\u001f', subject, description, source, email ?? "");
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }
}
