using Dapper;
using Npgsql;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Tickets;

/// <summary>
/// Applies agents' changes of status and priority. The row is locked (SELECT ... FOR UPDATE) so
/// concurrent changes serialise; the ticket update and its <c>ticket.status_changed</c> /
/// <c>ticket.priority_changed</c> events commit together, and a change to the values the ticket
/// already has writes nothing, which makes a retried request harmless.
/// </summary>
public sealed class TicketChangeRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    public async Task<TicketChangeResult> ChangeAsync(long id, TicketChange change, CancellationToken ct = default)
    {
        const string lockRow = $"SELECT {TicketRepository.TicketColumns} FROM tickets WHERE id = @id FOR UPDATE";
        const string update = $"""
            UPDATE tickets SET status = @Status, priority = @Priority, updated_at = now()
            WHERE id = @Id
            RETURNING {TicketRepository.TicketColumns}
            """;

        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await conn.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(lockRow, new { id }, tx, cancellationToken: ct));
        if (current is null)
            return new TicketChangeResult(TicketChangeOutcome.NotFound, null);

        var newStatus = change.Status is { } s && s != current.Status ? s : null;
        var newPriority = change.Priority is { } p && p != current.Priority ? p : null;
        if (newStatus is null && newPriority is null)
            return new TicketChangeResult(TicketChangeOutcome.Unchanged, current);

        if (TicketTransitions.IsTerminal(current.Status))
            return new TicketChangeResult(TicketChangeOutcome.InvalidTransition, current, $"Ticket {id} is closed; a closed ticket cannot be changed.");
        if (newStatus is not null && !TicketTransitions.IsAllowed(current.Status, newStatus))
            return new TicketChangeResult(TicketChangeOutcome.InvalidTransition, current, $"A ticket cannot move from {current.Status} to {newStatus}.");

        var row = await conn.QuerySingleAsync<TicketRow>(new CommandDefinition(update, new
        {
            Id = id,
            Status = newStatus ?? current.Status,
            Priority = newPriority ?? current.Priority,
        }, tx, cancellationToken: ct));

        // Priority first: a change that sets a priority and closes the ticket in one request is
        // seen by the SLA clock with its final priority before it stops.
        if (newPriority is not null)
        {
            var from = current.Priority is null ? (TicketPriority?)null : WireNames.Parse<TicketPriority>(current.Priority);
            await TicketEventWriter.AppendAsync(conn, tx, id, new PriorityChangedEvent(from, WireNames.Parse<TicketPriority>(newPriority)), null, ct);
        }

        if (newStatus is not null)
        {
            var changed = new StatusChangedEvent(WireNames.Parse<TicketStatus>(current.Status), WireNames.Parse<TicketStatus>(newStatus));
            await TicketEventWriter.AppendAsync(conn, tx, id, changed, null, ct);
        }

        await tx.CommitAsync(ct);
        return new TicketChangeResult(TicketChangeOutcome.Changed, row);
    }
}
