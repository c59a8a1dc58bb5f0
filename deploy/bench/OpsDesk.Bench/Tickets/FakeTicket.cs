using System.Text.Json;

namespace OpsDesk.Bench.Tickets;

/// <summary>One generated ticket: what a customer would send, plus the state triage would have given it.</summary>
public sealed record FakeTicket(
    string Subject,
    string Description,
    string Source,
    string? RequesterEmail,
    string Category,
    string Priority)
{
    /// <summary>The JSON body of <c>POST /api/tickets</c> for this ticket.</summary>
    public byte[] CreateRequestBody()
    {
        var buffer = new MemoryStream(768);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("subject", Subject);
            w.WriteString("description", Description);
            w.WriteString("source", Source);
            if (RequesterEmail is not null)
                w.WriteString("requesterEmail", RequesterEmail);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
