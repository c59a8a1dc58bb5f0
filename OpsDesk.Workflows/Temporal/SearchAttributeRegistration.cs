using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Temporal;

/// <summary>
/// Registers the OpsDesk search attributes on a namespace — the one routine the worker, dev mode and
/// the tests use. It never asks <c>ListSearchAttributes</c> (Temporal's test server does not implement
/// it): each attribute is added on its own and <c>AlreadyExists</c> counts as done, so running it
/// again, or beside another registrar, changes nothing.
/// </summary>
public static class SearchAttributeRegistration
{
    /// <summary>Adds every attribute of <see cref="OpsDeskSearchAttributes.All"/> the namespace lacks; returns how many were new.</summary>
    public static async Task<int> EnsureAsync(ITemporalClient client, string @namespace, CancellationToken ct)
    {
        var rpc = new RpcOptions { CancellationToken = ct };
        var added = 0;
        foreach (var key in OpsDeskSearchAttributes.All)
        {
            var request = new AddSearchAttributesRequest { Namespace = @namespace };
            request.SearchAttributes[key.Name] = key.ValueType;
            try
            {
                await client.Connection.OperatorService.AddSearchAttributesAsync(request, rpc);
                added++;
            }
            catch (RpcException ex) when (ex.Code == RpcException.StatusCode.AlreadyExists)
            {
                // Registered before (by us, compose's one-shot registrar or an operator).
            }
        }

        return added;
    }
}
