package dev.piperpc.core.internal.dispatch;

import dev.piperpc.core.RequestContext;
import dev.piperpc.core.RequestHandler;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.RawJson;

import java.util.Comparator;
import java.util.List;

/** The overloads of one method name; picks the one that fits the params of each call. */
final class MethodGroup implements RequestHandler {

    private final String name;
    private final List<ExposedMethod> overloads;

    MethodGroup(String name, List<ExposedMethod> overloads) {
        this.name = name;
        this.overloads = overloads.stream().sorted(Comparator.comparingInt(ExposedMethod::paramCount)).toList();
        for (int i = 1; i < this.overloads.size(); i++) {
            if (this.overloads.get(i).paramCount() == this.overloads.get(i - 1).paramCount()) {
                throw new IllegalArgumentException("methods named '" + name + "' cannot be told apart: "
                        + this.overloads.get(i - 1) + " and " + this.overloads.get(i) + " take the same number of params");
            }
        }
    }

    @Override
    public Object handle(RequestContext request) throws Exception {
        RawJson params = request.params();
        ExposedMethod chosen = overloads.size() == 1 ? overloads.get(0) : choose(params);
        return chosen.invoke(params, request);
    }

    private ExposedMethod choose(RawJson params) {
        ExposedMethod best = null;
        for (ExposedMethod candidate : overloads) {
            if (candidate.accepts(params)) {
                if (best == null || candidate.fitsExactly(params)) {
                    best = candidate;
                }
            }
        }
        if (best == null) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, ErrorCodes.standardMessage(ErrorCodes.INVALID_PARAMS),
                    RawJson.ofString("no overload of '" + name + "' takes these params"));
        }
        return best;
    }
}
