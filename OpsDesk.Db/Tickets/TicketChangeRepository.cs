using Dapper;
using Npgsql;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Tickets;

/// <summary>
/// Applies agents' changes of status, priority, assignee and tags. The row is locked (SELECT ... FOR
/// UPDATE) so concurrent changes serialise; the ticket update and its events commit together, and a
/// change to the values the ticket already has writes nothing, which makes a retried request harmless.
/// </summary>
public sealed class TicketChangeRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    public async Task<TicketChangeResult> ChangeAsync(long id, TicketChange change, CancellationToken ct = default)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await LockAsync(conn, tx, id, ct);
        if (current is null)
            return new TicketChangeResult(TicketChangeOutcome.NotFound, null);

        var result = await ApplyAsync(conn, tx, current, change, ct);
        if (result.Outcome == TicketChangeOutcome.Changed)
            await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Reads and locks the ticket for the rest of <paramref name="tx"/>; null when there is none.</summary>
    internal static Task<TicketRow?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        const string sql = $"SELECT {TicketRepository.TicketColumns} FROM tickets WHERE id = @id FOR UPDATE";
        return conn.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(sql, new { id }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the locked ticket <paramref name="current"/> inside the caller's
    /// transaction, with the one set of rules (<see cref="TicketTransitions"/>, active assignees, tag limits)
    /// and its events. On any outcome but <see cref="TicketChangeOutcome.Changed"/> nothing was written; the
    /// caller commits or rolls back.
    /// </summary>
    internal static async Task<TicketChangeResult> ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, TicketRow current, TicketChange change, CancellationToken ct)
    {
        const string update = $"""
            UPDATE tickets SET status = @Status, priority = @Priority, assignee_id = @AssigneeId, tags = @Tags, updated_at = now()
            WHERE id = @Id
            RETURNING {TicketRepository.TicketColumns}
            """;
        const string activeAgent = "SELECT active FROM agents WHERE id = @id FOR SHARE";
        const string removeTags = "DELETE FROM ticket_tags WHERE ticket_id = @id AND tag = ANY(@tags)";
        const string addTags = "INSERT INTO ticket_tags (tag, ticket_id) SELECT unnest(@tags), @id ON CONFLICT DO NOTHING";

        var id = current.Id;
        var newStatus = change.Status is { } s && s != current.Status ? s : null;
        var newPriority = change.Priority is { } p && p != current.Priority ? p : null;
        var assigneeChanges = change.SetsAssignee && change.AssigneeId != current.AssigneeId;
        var tags = TicketTags.Apply(current.Tags, change.Tags, change.AddTags, change.RemoveTags);
        var added = tags.Except(current.Tags, StringComparer.Ordinal).ToArray();
        var removed = current.Tags.Except(tags, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (newStatus is null && newPriority is null && !assigneeChanges && added.Length == 0 && removed.Length == 0)
            return new TicketChangeResult(TicketChangeOutcome.Unchanged, current);

        if (TicketTransitions.IsTerminal(current.Status))
            return new TicketChangeResult(TicketChangeOutcome.InvalidTransition, current, $"Ticket {id} is closed; a closed ticket cannot be changed.");
        if (newStatus is not null && !TicketTransitions.IsAllowed(current.Status, newStatus))
            return new TicketChangeResult(TicketChangeOutcome.InvalidTransition, current, $"A ticket cannot move from {current.Status} to {newStatus}.");
        if (tags.Length > TicketTags.MaxPerTicket)
            return new TicketChangeResult(TicketChangeOutcome.TooManyTags, current, $"A ticket has at most {TicketTags.MaxPerTicket} tags (this change would leave {tags.Length}).");
        // FOR SHARE: the agent cannot be deactivated between this check and the commit.
        if (assigneeChanges && change.AssigneeId is { } assignee
            && await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(activeAgent, new { id = assignee }, tx, cancellationToken: ct)) != true)
        {
            return new TicketChangeResult(TicketChangeOutcome.InvalidAssignee, current, $"There is no active agent {assignee}.");
        }

        var row = await conn.QuerySingleAsync<TicketRow>(new CommandDefinition(update, new
        {
            Id = id,
            Status = newStatus ?? current.Status,
            Priority = newPriority ?? current.Priority,
            AssigneeId = assigneeChanges ? change.AssigneeId : current.AssigneeId,
            Tags = tags,
        }, tx, cancellationToken: ct));
        if (removed.Length > 0)
            await conn.ExecuteAsync(new CommandDefinition(removeTags, new { id, tags = removed }, tx, cancellationToken: ct));
        if (added.Length > 0)
            await conn.ExecuteAsync(new CommandDefinition(addTags, new { id, tags = added }, tx, cancellationToken: ct));

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

        if (assigneeChanges)
            await TicketEventWriter.AppendAsync(conn, tx, id, new AssignedEvent(current.AssigneeId, change.AssigneeId), null, ct);
        if (added.Length > 0 || removed.Length > 0)
            await TicketEventWriter.AppendAsync(conn, tx, id, new TagsChangedEvent(added, removed), null, ct);

        return new TicketChangeResult(TicketChangeOutcome.Changed, row);
    }
}
