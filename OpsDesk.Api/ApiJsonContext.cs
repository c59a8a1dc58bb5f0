using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using OpsDesk.Api.Comments;
using OpsDesk.Api.Tickets;

namespace OpsDesk.Api;

/// <summary>Source-generated JSON for the API's types: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateTicketRequest))]
[JsonSerializable(typeof(UpdateTicketRequest))]
[JsonSerializable(typeof(TicketResponse))]
[JsonSerializable(typeof(CreatedTicketResponse))]
[JsonSerializable(typeof(TicketDetailsResponse))]
[JsonSerializable(typeof(TicketPageResponse))]
[JsonSerializable(typeof(CreateCommentRequest))]
[JsonSerializable(typeof(CommentResponse))]
[JsonSerializable(typeof(CreatedCommentResponse))]
[JsonSerializable(typeof(CommentPageResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
