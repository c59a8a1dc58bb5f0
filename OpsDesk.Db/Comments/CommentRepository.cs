using Dapper;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Tickets;

namespace OpsDesk.Db.Comments;

/// <summary>
/// The conversation on a ticket. A comment is one row and one <c>ticket.comment_added</c> event, and the
/// status change it causes (a requester reopening, an agent's reply setting pending) commits with them
/// through the same rules as <c>PATCH</c> (<see cref="TicketChangeRepository"/>).
/// </summary>
public sealed class CommentRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    private const string Columns = "id, ticket_id, author_kind, author_agent_id, public, body, created_at";

    /// <summary>Statuses a requester's comment takes back to open.</summary>
    private static readonly string[] ReopenedByRequester = [TicketStatuses.Pending, TicketStatuses.Resolved];

    /// <summary>
    /// Adds a comment. The common case — no status change — is one statement, so one round trip:
    /// it locks the ticket, inserts the comment (unless the key was used or the ticket is closed),
    /// marks the ticket and appends <c>ticket.comment_added</c>, all committed together. A comment
    /// that changes the status (an agent's reply with a status, a requester reopening a pending or
    /// resolved ticket) takes the transaction of <see cref="AddWithStatusAsync"/>.
    /// </summary>
    public async Task<AddCommentResult> AddAsync(NewComment comment, CancellationToken ct = default)
    {
        // The event payload is serialised here; only the comment id, drawn by the insert, is set in SQL.
        // A requester's comment on a ticket it would reopen is not inserted here (see AddWithStatusAsync).
        const string sql = $$"""
            WITH k AS (
                SELECT {{TicketRepository.TicketColumns}} FROM tickets WHERE id = @TicketId FOR UPDATE
            ), c AS (
                INSERT INTO ticket_comments (ticket_id, author_kind, author_agent_id, public, body, idempotency_key, request_hash)
                SELECT id, @AuthorKind, @AgentId, @Public, @Body, @IdempotencyKey, @RequestHash FROM k
                WHERE status <> @Closed AND NOT (@AuthorKind = @Requester AND status = ANY(@Reopened))
                ON CONFLICT (ticket_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING {{Columns}}
            ), t AS (
                UPDATE tickets SET last_public_comment_by = CASE WHEN @Public THEN @AuthorKind ELSE last_public_comment_by END, updated_at = now()
                WHERE id = @TicketId AND EXISTS (SELECT FROM c)
                RETURNING {{TicketRepository.TicketColumns}}
            ), e AS (
                {{TicketEventWriter.InsertColumns}}
                SELECT ticket_id, @EventType, jsonb_set(@EventPayload::jsonb, '{commentId}', to_jsonb(id)), NULL, created_at, @TraceParent
                FROM c
            )
            SELECT x.*, c.* FROM (SELECT * FROM t UNION ALL SELECT * FROM k WHERE NOT EXISTS (SELECT FROM t)) x LEFT JOIN c ON true
            """;

        if (comment.Status is not null)
            return await AddWithStatusAsync(comment, ct);

        var args = RowParameters(comment);
        args.AddDynamicParams(new
        {
            Closed = TicketStatuses.Closed,
            Requester = WireNames.Of(CommentAuthorKind.Requester),
            Reopened = ReopenedByRequester,
            EventType = CommentAddedEvent.Type,
            EventPayload = TicketEventWriter.Serialize(new CommentAddedEvent(0, comment.AuthorKind, comment.AgentId, comment.Public)),
            TraceParent = TraceParent.Current(),
        });

        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<TicketRow, CommentRow?, (TicketRow Ticket, CommentRow? Comment)>(
            new CommandDefinition(sql, args, cancellationToken: ct), (t, c) => (t, c), splitOn: "id")).AsList();
        if (rows.Count == 0)
            return new AddCommentResult(AddCommentOutcome.NotFound, null, null);

        var (ticket, added) = rows[0];
        if (added is not null)
            return new AddCommentResult(AddCommentOutcome.Created, added, ticket);

        // Nothing written: the key was used before (perhaps by a request that committed a moment ago:
        // ON CONFLICT waited for it), the ticket is closed, or the comment reopens the ticket.
        if (comment.IdempotencyKey is not null && await EarlierAsync(conn, null, comment, ticket, ct) is { } earlier)
            return earlier;
        if (TicketTransitions.IsTerminal(ticket.Status))
            return Closed(ticket);
        return await AddWithStatusAsync(comment, ct);
    }

    /// <summary>A comment and the status change it causes, in one transaction with the ticket locked.</summary>
    private async Task<AddCommentResult> AddWithStatusAsync(NewComment comment, CancellationToken ct)
    {
        const string insert = $"""
            WITH c AS (
                INSERT INTO ticket_comments (ticket_id, author_kind, author_agent_id, public, body, idempotency_key, request_hash)
                VALUES (@TicketId, @AuthorKind, @AgentId, @Public, @Body, @IdempotencyKey, @RequestHash)
                RETURNING {Columns}
            ), t AS (
                UPDATE tickets SET last_public_comment_by = CASE WHEN @Public THEN @AuthorKind ELSE last_public_comment_by END, updated_at = now()
                WHERE id = @TicketId
            )
            SELECT {Columns} FROM c
            """;

        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The ticket lock serialises comments on a ticket: a retry with the same key waits for the first
        // try to commit and then finds its comment.
        var ticket = await TicketChangeRepository.LockAsync(conn, tx, comment.TicketId, ct);
        if (ticket is null)
            return new AddCommentResult(AddCommentOutcome.NotFound, null, null);
        if (comment.IdempotencyKey is not null && await EarlierAsync(conn, tx, comment, ticket, ct) is { } earlier)
            return earlier;
        if (TicketTransitions.IsTerminal(ticket.Status))
            return Closed(ticket);

        var added = await conn.QuerySingleAsync<CommentRow>(new CommandDefinition(insert, RowParameters(comment), tx, cancellationToken: ct));
        await TicketEventWriter.AppendAsync(conn, tx, ticket.Id, new CommentAddedEvent(added.Id, comment.AuthorKind, comment.AgentId, comment.Public), null, ct);

        var status = comment.AuthorKind == CommentAuthorKind.Requester
            ? (ReopenedByRequester.Contains(ticket.Status, StringComparer.Ordinal) ? TicketStatuses.Open : null)
            : comment.Status;
        if (status is not null)
        {
            var change = await TicketChangeRepository.ApplyAsync(conn, tx, ticket, new TicketChange(status, null), ct);
            if (change.Outcome == TicketChangeOutcome.InvalidTransition)
                return new AddCommentResult(AddCommentOutcome.InvalidTransition, null, ticket, change.Reason); // rolled back: no comment either
            ticket = change.Ticket!;
        }

        await tx.CommitAsync(ct);
        return new AddCommentResult(AddCommentOutcome.Created, added, ticket);
    }

    /// <summary>The comment an earlier request made with this idempotency key: a replay (same request) or a conflict; null when the key is new.</summary>
    private static async Task<AddCommentResult?> EarlierAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, NewComment comment, TicketRow ticket, CancellationToken ct)
    {
        const string existing = $"SELECT {Columns}, request_hash = @RequestHash AS same_request FROM ticket_comments WHERE ticket_id = @TicketId AND idempotency_key = @IdempotencyKey";
        var earlier = (await conn.QueryAsync<CommentRow, bool, (CommentRow Row, bool Same)>(
            new CommandDefinition(existing, comment, tx, cancellationToken: ct), (row, same) => (row, same), splitOn: "same_request")).AsList();
        if (earlier.Count == 0)
            return null;
        var (row, same) = earlier[0];
        return new AddCommentResult(same ? AddCommentOutcome.Replayed : AddCommentOutcome.KeyConflict, row, ticket);
    }

    /// <summary>The comment row's values, as both inserts take them.</summary>
    private static DynamicParameters RowParameters(NewComment comment) => new(new
    {
        comment.TicketId,
        AuthorKind = WireNames.Of(comment.AuthorKind),
        comment.AgentId,
        comment.Public,
        comment.Body,
        comment.IdempotencyKey,
        comment.RequestHash,
    });

    private static AddCommentResult Closed(TicketRow ticket) =>
        new(AddCommentOutcome.InvalidTransition, null, ticket, $"Ticket {ticket.Id} is closed; a closed ticket takes no comments.");

    /// <summary>A page of the ticket's comments, oldest first, after <paramref name="afterId"/>; internal notes only when <paramref name="includeInternal"/>.</summary>
    public async Task<CommentPage> ListAsync(long ticketId, bool includeInternal, long? afterId, int limit, CancellationToken ct = default)
    {
        const string sql = $"""
            SELECT {Columns} FROM ticket_comments
            WHERE ticket_id = @ticketId AND (@includeInternal OR public) AND id > @afterId
            ORDER BY id LIMIT @take
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<CommentRow>(new CommandDefinition(
            sql, new { ticketId, includeInternal, afterId = afterId ?? 0, take = limit + 1 }, cancellationToken: ct))).AsList();
        long? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = rows[^1].Id;
        }

        return new CommentPage(rows, next);
    }
}
