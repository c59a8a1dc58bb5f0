using System.Text.Json.Serialization;

namespace OpsDesk.Api.Tickets;

/// <summary>Body of <c>PATCH /api/tickets/{id}</c>: at least one member.</summary>
/// <param name="Status">open, pending, resolved or closed.</param>
/// <param name="Priority">P0, P1, P2 or P3.</param>
/// <param name="Tags">The whole new set of tags (lower-case slugs, at most 20, each at most 40 characters). Not with addTags/removeTags.</param>
/// <param name="AddTags">Tags to add to the current set.</param>
/// <param name="RemoveTags">Tags to remove from the current set.</param>
/// <remarks>The defaults mark every member optional in the OpenAPI schema; a missing member was already read as null.</remarks>
public sealed record UpdateTicketRequest(
    string? Status = null,
    string? Priority = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? AddTags = null,
    IReadOnlyList<string>? RemoveTags = null)
{
    private long? assigneeId;
    private bool setsAssignee;

    /// <summary>An active agent's id to assign the ticket to, or null to unassign it. Absent: the assignee stays.</summary>
    public long? AssigneeId
    {
        get => assigneeId;
        // A setter, not init: the serializer calls a setter only for members present in the body (init-only
        // members of a record are set in the constructor call, present or not).
        set
        {
            assigneeId = value;
            setsAssignee = true;
        }
    }

    /// <summary>Whether the body named assigneeId (null included): an absent member and an explicit null mean different things.</summary>
    [JsonIgnore]
    public bool SetsAssignee => setsAssignee;
}
