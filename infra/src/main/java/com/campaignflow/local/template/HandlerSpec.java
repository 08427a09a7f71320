package com.campaignflow.local.template;

/** A Lambda Java handler string: {@code com.example.Handler::method}, or just the class (method handleRequest). */
public record HandlerSpec(String className, String methodName) {

    public static final String DEFAULT_METHOD = "handleRequest";

    public static HandlerSpec parse(String handler) {
        if (handler == null || handler.isBlank()) {
            throw new TemplateException("handler is empty");
        }
        int separator = handler.indexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        String method = separator < 0 ? DEFAULT_METHOD : handler.substring(separator + 2);
        if (!className.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*") || !method.matches("[A-Za-z_$][\\w$]*")) {
            throw new TemplateException("handler '" + handler + "' is not of the form package.Class or package.Class::method");
        }
        return new HandlerSpec(className, method);
    }

    @Override
    public String toString() {
        return className + "::" + methodName;
    }
}
