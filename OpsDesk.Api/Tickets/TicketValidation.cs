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

        CheckText(errors, "subject", subject, SubjectMax);
        CheckText(errors, "description", description, DescriptionMax);

        if (string.IsNullOrEmpty(source))
            errors["source"] = ["source is required."];
        else if (!TicketSources.All.Contains(source, StringComparer.Ordinal))
            errors["source"] = [$"source must be one of: {string.Join(", ", TicketSources.All)}."];

        if (request.RequesterEmail is not null && !IsValidEmail(email))
            errors["requesterEmail"] = ["requesterEmail must be a valid email address."];

        CheckIdempotencyKey(errors, idempotencyKey);

        ticket = errors.Count > 0
            ? null
            : new NewTicket(subject!, description!, source!, email, idempotencyKey, idempotencyKey is null ? null : Hash(subject!, description!, source!, email));
        return errors;
    }

    /// <summary>The rules of an <c>Idempotency-Key</c> header (absent is fine), for every write that takes one.</summary>
    internal static void CheckIdempotencyKey(Dictionary<string, string[]> errors, string? idempotencyKey)
    {
        if (idempotencyKey is null)
            return;
        if (idempotencyKey.Length is 0 or > IdempotencyKeyMax)
            errors["Idempotency-Key"] = [$"Idempotency-Key must be 1–{IdempotencyKeyMax} characters."];
        else if (idempotencyKey.Any(c => c < 0x21 || c > 0x7e))
            errors["Idempotency-Key"] = ["Idempotency-Key must be printable ASCII without spaces."];
    }

    /// <summary>A required text field, trimmed: 1–<paramref name="max"/> characters without NUL. Null (with an error) when invalid.</summary>
    internal static string? CheckText(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            errors[field] = [$"{field} is required."];
        else if (trimmed.Length > max)
            errors[field] = [$"{field} must be at most {max} characters (got {trimmed.Length})."];
        else if (HasNul(trimmed))
            errors[field] = [NulMessage(field)];
        else
            return trimmed;
        return null;
    }

    /// <summary>PostgreSQL text cannot hold U+0000; refuse it here instead of failing in the database.</summary>
    internal static bool HasNul(string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal);

    internal static string NulMessage(string field) => $"{field} must not contain NUL (U+0000) characters.";

    internal static bool IsValidEmail(string? email) => EmailAddresses.IsValid(email);

    /// <summary>Hash of a normalised request (its parts in order), so the same request sent with other JSON spacing still matches.</summary>
    internal static byte[] Hash(params string?[] parts)
    {
        var canonical = string.Join('\u001f', parts.Select(p => p ?? ""));
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }
}
