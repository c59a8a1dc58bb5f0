using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpsDesk.Api.Auth;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Tickets;
using OpsDesk.Workflows.Telemetry;
using OpsDesk.Workflows.Triage;

namespace OpsDesk.Api.Tickets;

/// <summary>
/// Opening a ticket, for every surface that does it (the REST endpoint and the portal): validation,
/// the idempotency rules, the insert with its event, the access token and the triage start.
/// </summary>
public sealed class TicketCreator(TicketRepository tickets, TicketAccessRepository access, TriageStartQueue triage, IOptions<TriageOptions> triageOptions)
{
    public const string AnonymousKeyRequired =
        "Creates without credentials must send an Idempotency-Key header: a new random value (a UUID) per ticket, " +
        "the same one on every retry of it, so a retry after a 503 or a lost answer cannot make a second ticket.";

    public async Task<TicketCreateResult> CreateAsync(CreateTicketRequest request, string? idempotencyKey, Caller caller, CancellationToken ct)
    {
        var errors = TicketValidation.Validate(request, out var ticket, idempotencyKey);
        // A 503 can come after the commit (the answer, not the write, was lost). An anonymous caller can
        // neither list its tickets nor be told apart from others, so its only safe retry is by key.
        if (caller.Role is null && string.IsNullOrWhiteSpace(idempotencyKey))
            errors[TicketEndpoints.IdempotencyKeyHeader] = [AnonymousKeyRequired];
        if (errors.Count > 0)
            return new TicketCreateResult(TicketCreateOutcome.Invalid, null, null, errors);

        var accessToken = Secrets.NewTicketToken();
        var accessTokenHash = Secrets.Hash(accessToken);
        var result = await tickets.InsertAsync(
            ticket! with { CreatedByKeyId = caller.KeyId, CreatedBySubject = caller.KeyId is null ? caller.Owner : null, AccessTokenHash = accessTokenHash }, ct);
        Activity.Current?.SetTag(OpsDeskTelemetry.TicketIdTag, result.Ticket.Id);
        switch (result.Outcome)
        {
            case InsertOutcome.Replayed when !await ReissueTokenAsync(caller, result.Ticket.Id, accessTokenHash, ct):
                return new TicketCreateResult(TicketCreateOutcome.KeyUsedByAnotherCaller, result.Ticket, null, null);
            case InsertOutcome.Replayed:
                return new TicketCreateResult(TicketCreateOutcome.Replayed, result.Ticket, accessToken, null);
            case InsertOutcome.KeyConflict:
                return new TicketCreateResult(TicketCreateOutcome.KeyConflict, result.Ticket, null, null);
            default:
                // The ticket is committed; its triage starts after this answer, off the request path. If
                // Temporal is down, the queue full or Triage:StartOnCreate false, it stays queued and the
                // reconciler starts it.
                OpsDeskMetrics.TicketCreated(result.Ticket.Source);
                if (triageOptions.Value.StartOnCreate)
                    triage.TryEnqueue(result.Ticket.Id, result.Ticket.Source);
                return new TicketCreateResult(TicketCreateOutcome.Created, result.Ticket, accessToken, null);
        }
    }

    /// <summary>A replay must come from the ticket's creator; it then gets a fresh access token (only hashes are stored).</summary>
    private async Task<bool> ReissueTokenAsync(Caller caller, long ticketId, byte[] tokenHash, CancellationToken ct)
    {
        if (await access.GetAsync(ticketId, ct) is not { } owner || !caller.Created(owner))
            return false;
        await access.SetAccessTokenAsync(ticketId, tokenHash, ct);
        return true;
    }
}

public enum TicketCreateOutcome
{
    Created,
    Replayed,
    Invalid,
    KeyConflict,
    KeyUsedByAnotherCaller,
}

/// <summary>What <see cref="TicketCreator"/> did; <see cref="AccessToken"/> is set on Created and Replayed, <see cref="Errors"/> on Invalid.</summary>
public sealed record TicketCreateResult(TicketCreateOutcome Outcome, TicketRow? Ticket, string? AccessToken, Dictionary<string, string[]>? Errors);
