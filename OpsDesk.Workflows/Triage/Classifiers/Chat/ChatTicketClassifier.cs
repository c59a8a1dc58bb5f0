using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;
using OpsDesk.Workflows.Triage.Redaction;

namespace OpsDesk.Workflows.Triage.Classifiers.Chat;

/// <summary>
/// Classifies through a chat-completions model (OpenAI or Azure OpenAI) with a strict JSON schema.
/// Personal data is redacted before the call and restored locally afterwards. A reply that fails
/// validation gets one repair round; nothing is retried here otherwise — the caller (a Temporal
/// activity) retries transient <see cref="ClassifierException"/>s with backoff.
/// </summary>
public sealed partial class ChatTicketClassifier : ITicketClassifier
{
    private readonly ChatClient chat;
    private readonly string model;
    private readonly ILogger<ChatTicketClassifier> logger;

    public ChatTicketClassifier(ChatClient chat, string provider, string model, ILogger<ChatTicketClassifier> logger)
    {
        this.chat = chat;
        Provider = provider;
        this.model = model;
        this.logger = logger;
    }

    public string Provider { get; }

    public async Task<Classification> ClassifyAsync(TicketText ticket, CancellationToken ct)
    {
        var redactor = new PiiRedactor();
        var subject = redactor.Redact(ticket.Subject);
        var description = redactor.Redact(ticket.Description);
        LogRedacted(ticket.TicketId, Provider, redactor.Originals.Count);

        List<ChatMessage> messages =
        [
            new SystemChatMessage(TriagePrompt.System),
            new UserChatMessage(TriagePrompt.User(ticket.Source, subject, description)),
        ];
        // With articles the model sees their snippets by id and must say which apply; the validator
        // refuses any id it was not given.
        var articles = ticket.Articles is { Count: > 0 } given ? given : null;
        var givenIds = articles?.Select(a => a.Id).ToList();
        if (articles is not null)
            messages.Add(new UserChatMessage(TriagePrompt.Articles(articles)));

        var content = await CompleteAsync(messages, ticket.TicketId, articles is not null, ct);
        var errors = TriageReplyValidator.Validate(content, out var reply, givenIds);
        if (reply is null)
        {
            LogRepairing(ticket.TicketId, Provider, errors.Count);
            messages.Add(new AssistantChatMessage(string.IsNullOrEmpty(content) ? "(empty reply)" : content));
            messages.Add(new UserChatMessage(TriagePrompt.Repair(errors)));
            content = await CompleteAsync(messages, ticket.TicketId, articles is not null, ct);
            errors = TriageReplyValidator.Validate(content, out reply, givenIds);
            if (reply is null)
            {
                LogFailed(ticket.TicketId, Provider, "schema", 200);
                throw new ClassifierException(
                    "schema",
                    $"{Provider} returned output that fails the triage schema after one repair: {string.Join(" ", errors.Take(5))}",
                    permanent: true);
            }
        }

        var entities = reply.Entities
            .Select(e => new ExtractedEntity(e.Type, redactor.Restore(e.Value)))
            .Distinct()
            .ToList();
        return new Classification(
            Summary: SummaryText.Limit(redactor.Restore(reply.Summary)),
            Category: reply.Category,
            Priority: reply.Priority,
            Entities: entities,
            Confidence: reply.Confidence,
            Language: reply.Language,
            Sentiment: reply.Sentiment,
            Provider: Provider,
            Model: model,
            PromptVersion: articles is null ? TriagePrompt.Version : TriagePrompt.CitedVersion,
            CitedArticleIds: reply.Citations);
    }

    private async Task<string?> CompleteAsync(List<ChatMessage> messages, long ticketId, bool withCitations, CancellationToken ct)
    {
        // A new options object per call: the SDK writes the messages and model into the one it is given.
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                TriageSchema.Name, withCitations ? TriageSchema.JsonWithCitations : TriageSchema.Json, jsonSchemaIsStrict: true),
        };

        ChatCompletion completion;
        try
        {
            completion = (await chat.CompleteChatAsync(messages, options, ct)).Value;
        }
        catch (ClientResultException e)
        {
            var (reason, permanent) = Classify(e);
            LogFailed(ticketId, Provider, reason, e.Status);
            throw new ClassifierException(reason, $"{Provider} call failed with HTTP {e.Status} ({reason}).", permanent, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            LogFailed(ticketId, Provider, "timeout", 0);
            throw new ClassifierException("timeout", $"{Provider} call timed out.", permanent: false, e);
        }
        catch (HttpRequestException e)
        {
            LogFailed(ticketId, Provider, "timeout", 0);
            throw new ClassifierException("timeout", $"{Provider} could not be reached: {e.Message}", permanent: false, e);
        }
        catch (JsonException e)
        {
            LogFailed(ticketId, Provider, "server_error", 200);
            throw new ClassifierException("server_error", $"{Provider} sent a response that is not a chat completion.", permanent: false, e);
        }

        if (!string.IsNullOrWhiteSpace(completion.Refusal))
        {
            LogFailed(ticketId, Provider, "refusal", 200);
            throw new ClassifierException("refusal", $"{Provider} refused to classify the ticket: {completion.Refusal}", permanent: true);
        }

        if (completion.FinishReason == ChatFinishReason.ContentFilter)
        {
            LogFailed(ticketId, Provider, "content_filter", 200);
            throw new ClassifierException("content_filter", $"{Provider} withheld the reply (content filter).", permanent: true);
        }

        return string.Concat(completion.Content
            .Where(part => part.Kind == ChatMessageContentPartKind.Text)
            .Select(part => part.Text));
    }

    /// <summary>HTTP status → reason code and whether retrying can help.</summary>
    public static (string Reason, bool Permanent) Classify(ClientResultException e) => e.Status switch
    {
        0 => ("timeout", false), // no response at all: connection refused, reset, DNS
        400 or 413 or 422 => ("bad_request", true),
        401 => ("unauthorized", true),
        403 => ("forbidden", true),
        404 => ("not_found", true),
        408 => ("timeout", false),
        429 when IsQuotaExhausted(e) => ("quota_exceeded", true),
        429 => ("rate_limited", false),
        >= 500 => ("server_error", false),
        _ => ("bad_request", true),
    };

    private static bool IsQuotaExhausted(ClientResultException e)
    {
        try
        {
            var body = e.GetRawResponse()?.Content?.ToString();
            return body is not null && body.Contains("insufficient_quota", StringComparison.Ordinal);
        }
        catch (InvalidOperationException)
        {
            return false; // the body was not buffered
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Ticket {TicketId}: {Provider} classification with {PlaceholderCount} PII placeholders")]
    private partial void LogRedacted(long ticketId, string provider, int placeholderCount);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Ticket {TicketId}: {Provider} reply failed validation ({ErrorCount} errors); asking once for a repair")]
    private partial void LogRepairing(long ticketId, string provider, int errorCount);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Ticket {TicketId}: {Provider} classification failed: {Reason} (HTTP {Status})")]
    private partial void LogFailed(long ticketId, string provider, string reason, int status);
}
